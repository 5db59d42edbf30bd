"""The first-run wizard: its pages refuse what would not work, and its answers become the centre."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QWizard

from app.services.accounts import accounts
from app.services.common.bootstrap import first_start, open_database
from app.services.common.municipality_list import parse_list
from app.services.registry.service import RecordService
from app.sync.exchange import profile
from app.ui.shell.application import run_gui
from app.ui.shell.first_run import FirstRunChoices, FirstRunWizard
from app.ui.shell.main_window import MainWindow


def _wizard(qtbot) -> FirstRunWizard:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(wizard: FirstRunWizard) -> str:
    """Presses «Далее»; the error line of the page it stayed on ('' when it moved on)."""
    page = wizard.currentPage()
    wizard.next()
    return page.error_label.text() if wizard.currentPage() is page else ""


def test_each_page_says_what_stops_it(qtbot, tmp_path):
    wizard = _wizard(qtbot)
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Далее >"
    wizard.place.other_button.setChecked(True)
    assert "Укажите папку" in _next(wizard)
    wizard.place.folder_edit.setText("относительная/папка")
    assert "полный путь" in _next(wizard)
    blocker = tmp_path / "файл"
    blocker.write_text("не папка", encoding="utf-8")
    wizard.place.folder_edit.setText(str(blocker / "МетодСеть"))
    assert "нельзя записывать" in _next(wizard)
    wizard.place.folder_edit.setText(str(tmp_path / "МетодСеть"))
    assert _next(wizard) == ""

    centre = wizard.centre
    assert "название центра" in _next(wizard)
    centre.name_edit.setText("ММЦ Курского района")
    centre.code_edit.setText("46 231")
    assert "без пробелов" in _next(wizard)
    centre.code_edit.setText("46-231")
    assert "муниципального образования" in _next(wizard)
    centre.region_button.setChecked(True)          # a region names no municipality of its own
    assert not centre.municipality_edit.isVisibleTo(centre)
    centre.municipal_button.setChecked(True)
    centre.municipality_edit.setText("Курский муниципальный район")
    assert _next(wizard) == ""

    admin = wizard.admin
    admin.password_edit.setText("123")
    assert "Пароль" in _next(wizard)
    admin.password_edit.setText("Надёжный-пароль-1")
    admin.repeat_edit.setText("другой-пароль-22")
    assert "не совпадают" in _next(wizard)
    admin.repeat_edit.setText("Надёжный-пароль-1")
    assert _next(wizard) == ""
    wizard.start.teachers_spin.setValue(300)
    choices = wizard.choices()
    assert choices.database_arg == str(tmp_path / "МетодСеть" / "metodset.sqlite")
    assert (choices.role, choices.code, choices.municipality_name) == ("municipal", "46-231",
                                                                      "Курский муниципальный район")
    assert choices.demo_teachers == 300                  # changing the number chose the demo


def test_a_region_list_fills_code_and_name(qtbot, _isolated_data_dir):
    _isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (_isolated_data_dir / "municipalities.csv").write_text(
        "Код;Наименование\n38620000;Курский муниципальный район\n38701000;город Курск\nплохая строка\n",
        encoding="utf-8")
    wizard = _wizard(qtbot)
    combo = wizard.centre.list_combo
    assert [combo.itemText(i) for i in range(combo.count())][1:] == [
        "38620000 — Курский муниципальный район", "38701000 — город Курск"]
    combo.setCurrentIndex(2)
    assert (wizard.centre.code_edit.text(), wizard.centre.municipality_edit.text()) == ("38701000", "город Курск")


def test_the_list_parser_takes_common_shapes():
    assert [(m.code, m.name) for m in parse_list("code,name\n46-231,Щёлковский округ\n46-231,дубль\n")] == [
        ("46-231", "Щёлковский округ")]
    assert [(m.code, m.name) for m in parse_list("1\tПервый\n2 3\tс пробелом\n")] == [("1", "Первый")]


def test_first_start_runs_the_wizard_and_sets_up_the_centre(tmp_path, monkeypatch):
    folder = tmp_path / "Данные центра"
    choices = FirstRunChoices(folder=folder, role="municipal", centre_name="ММЦ Курского района", code="46-231",
                              municipality_name="Курский муниципальный район", admin_login="metodist",
                              admin_name="Иванова Анна Петровна", admin_password="Надёжный-пароль-1",
                              demo_teachers=None)
    assert first_start()
    monkeypatch.setattr("app.ui.shell.first_run.ask_first_run", lambda parent=None: choices)
    seen = []

    def loop():
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen.append(window.database_label.text())
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(loop))
    assert run_gui(None) == 0
    assert len(seen) == 1 and "Данные центра" in seen[0]        # no sign-in asked: the wizard made the account
    db, _ = open_database(str(folder / "metodset.sqlite"))
    try:
        me = profile(db)
        assert (me.role, me.municipality_code, me.name) == ("municipal", "46-231", "ММЦ Курского района")
        accounts.sign_in(db, "metodist", "Надёжный-пароль-1")
        assert [a.role for a in accounts.list_accounts(db)] == ["admin"]
        rows = RecordService(db, accounts.actor_for(db)).list("municipalities").rows
        assert [(r["code"], r["name"]) for r in rows] == [("46-231", "Курский муниципальный район")]
    finally:
        db.dispose()
    # The next start opens the remembered database: no wizard.
    monkeypatch.setattr("app.ui.shell.first_run.ask_first_run", lambda parent=None: seen.append("wizard again"))
    monkeypatch.setattr("app.ui.accounts.login_dialog.sign_in_gui", lambda db, parent=None: False)
    assert run_gui(None) == 0 and "wizard again" not in seen
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow):
            window.deleteLater()


def test_closing_the_wizard_starts_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.shell.first_run.ask_first_run", lambda parent=None: None)
    assert run_gui(None) == 0
    assert first_start()                   # no database was made


def test_a_data_folder_that_cannot_be_written_is_said_at_start(tmp_path, monkeypatch, capsys):
    from app.cli import main

    blocker = tmp_path / "файл"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("METODSET_DATA_DIR", str(blocker / "data"))
    main(["--db", str(tmp_path / "x.sqlite"), "stats"])
    err = capsys.readouterr().err
    assert err.startswith("Предупреждение: В папку данных МетодСети") and "нельзя записывать" in err

    shown = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning",
                        lambda parent, title, text: shown.append(text))
    monkeypatch.setattr("app.ui.accounts.login_dialog.sign_in_gui", lambda db, parent=None: False)
    run_gui(str(tmp_path / "y.sqlite"))
    assert len(shown) == 1 and "нельзя записывать" in shown[0]


def test_the_service_menu_offers_the_centre_settings_to_the_administrator(qtbot, tmp_path):
    from app.sync.exchange import init_installation

    db, _ = open_database(str(tmp_path / "c.sqlite"))
    try:
        init_installation(db, "municipal", "46-231", "ММЦ")
        accounts.create_account(db, "admin", "Надёжный-пароль-1", "admin")
        accounts.sign_in(db, "admin", "Надёжный-пароль-1")
        window = MainWindow(db, first_start_question=False)
        qtbot.addWidget(window)
        window.service_actions["centre"].trigger()
        dialog = window._service_dialogs["centre"]
        assert dialog.windowTitle() == "Параметры центра" and dialog.code_edit.isEnabled()
        dialog.close()
    finally:
        db.dispose()


def test_a_folder_that_already_holds_a_base_ends_the_wizard_and_opens_it(qtbot, tmp_path):
    folder = tmp_path / "перенесённая"
    db, _ = open_database(str(folder / "metodset.sqlite"))
    db.dispose()
    wizard = _wizard(qtbot)
    wizard.place.other_button.setChecked(True)
    wizard.place.folder_edit.setText(str(folder))
    wizard.next()
    assert wizard.result() == QWizard.DialogCode.Accepted
    choices = wizard.choices()
    assert choices.open_existing and choices.database_arg == str(folder / "metodset.sqlite")


def test_checking_a_typed_folder_leaves_no_folder_behind(tmp_path):
    from app.services.common.bootstrap import data_folder_warning

    typed = tmp_path / "опечатка" / "ещё глубже"
    assert data_folder_warning(typed) is None and not (tmp_path / "опечатка").exists()


def test_a_remembered_file_that_cannot_be_opened_is_kept(tmp_path, monkeypatch):
    """A second copy of the program (or a missing drive) must not send the user to a new, empty base."""
    from app.ui.shell import startup
    from app.ui.shell.server_dialog import remember_location, remembered_location

    chosen = tmp_path / "D" / "metodset.sqlite"
    remember_location(str(chosen))
    monkeypatch.setattr(startup, "open_for_window", lambda db_arg, parent=None: None)
    assert run_gui(None) == 1
    assert remembered_location() == str(chosen) and first_start()
