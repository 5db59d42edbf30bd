"""«Файл → Подключиться к серверу PostgreSQL…»: the form, the password asked at connection, the memory of it."""
from __future__ import annotations

from app.ui.shell import startup
from app.ui.shell.main_window import MainWindow
from app.ui.shell.server_dialog import ServerDialog, remember_location, remembered_location, server_url
from tests.pg_cluster import PASSWORD, PASSWORD_ROLE


def test_the_form_makes_a_url_without_a_password_and_remembers_the_server(qtbot, db, monkeypatch):
    assert server_url("db.region.local", 5433, "metodset", "coordinator") == \
        "postgresql+psycopg://coordinator@db.region.local:5433/metodset"
    window = MainWindow(db)
    qtbot.addWidget(window)
    assert window.help_actions["server"].text() == "Подключиться к серверу PostgreSQL…"

    def fill_and_accept(dialog):
        dialog.host.setText("db.region.local")
        dialog.port.setValue(5433)
        dialog.user.setText("coordinator")
        dialog._check()
        return ServerDialog.DialogCode.Accepted

    monkeypatch.setattr(ServerDialog, "exec", fill_and_accept)
    window.ask_connect_server()
    assert window.switch_to == "postgresql+psycopg://coordinator@db.region.local:5433/metodset"
    again = ServerDialog()
    qtbot.addWidget(again)
    assert (again.host.text(), again.port.value(), again.user.text()) == ("db.region.local", 5433, "coordinator")

    assert remembered_location() is None
    remember_location(window.switch_to)
    assert remembered_location() == window.switch_to
    remember_location(None)
    assert remembered_location() is None


def test_the_password_is_asked_until_it_is_right_and_never_kept(qtbot, pg_cluster, monkeypatch):
    url = pg_cluster.new_database(owner=PASSWORD_ROLE)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    answers, asked = ["не тот пароль", PASSWORD], []
    monkeypatch.setattr(startup, "ask_server_password",
                        lambda parent, who, error="": asked.append((who, error)) or answers.pop(0))
    opened = startup.open_for_window(url)
    assert opened is not None
    db, _ = opened
    try:
        assert [who for who, _ in asked] == [f"{PASSWORD_ROLE} на сервере {pg_cluster.socket_dir}"] * 2
        assert asked[0][1] == "" and "неверное имя пользователя или пароль" in asked[1][1]
        assert PASSWORD not in db.describe()
    finally:
        db.dispose()
    # Cancelled: nothing opens, nothing is said twice.
    monkeypatch.setattr(startup, "ask_server_password", lambda parent, who, error="": None)
    assert startup.open_for_window(url) is None
