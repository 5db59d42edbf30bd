"""The «Обмен с регионом» page: setup form, partners, export and an import previewed then applied."""
from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync.identity import init_installation, write_keycard
from app.sync.partners import trust
from app.ui.shell.main_window import MainWindow
from tests.sync.conftest import sites  # noqa: F401 - the two-installation fixture


def _count(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _wait(qtbot, task):
    qtbot.waitUntil(lambda: not task.is_running(), timeout=20_000)


def test_setup_then_export_and_an_import_previewed_before_it_is_applied(qtbot, db, db_path, tmp_path, sites):
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.select_section("exchange").sync_page
    assert page.stack.currentWidget() is page.setup_form

    form = page.setup_form
    qtbot.keyClicks(form.code, "46 231")
    form.name.insert("ММЦ Курского района")   # QTest.keyClicks asserts on non-ASCII text
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert "без пробелов" in form.error.text() and page.stack.currentWidget() is form
    form.code.clear()
    qtbot.keyClicks(form.code, "46-231")
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.main_view
    assert "ММЦ Курского района" in page.identity_label.text()

    region = sites("region", "region", "46", "Региональный центр")
    write_keycard(region.db, tmp_path / "region.card")
    page.trust_file(tmp_path / "region.card")
    assert page.partners_table.rowCount() == 1
    assert page.partners_table.item(0, 0).text() == "Региональный центр"
    assert "Сверьте" in page.status_label.text()
    page.save_keycard(tmp_path / "mun.card")
    trust(region.db, tmp_path / "mun.card")

    RecordService(db, Actor("t")).create("organizations", {"full_name": "Школа № 3", "kind": "school"})
    task = page.export_to(tmp_path / "p1.msp")
    _wait(qtbot, task)
    assert "Пакет № 1" in page.status_label.text() and (tmp_path / "p1.msp").exists()
    assert page.log_table.rowCount() == 1

    # At the region: the same page previews, then applies with a receipt.
    region_window = MainWindow(region.db)
    qtbot.addWidget(region_window)
    rpage = region_window.select_section("exchange").sync_page
    assert rpage.export_button.text().startswith("Выгрузить каталог")
    task = rpage.open_package(tmp_path / "p1.msp")
    _wait(qtbot, task)
    qtbot.waitUntil(lambda: rpage.preview_dialog is not None and rpage.preview_dialog.isVisible())
    dialog = rpage.preview_dialog
    assert dialog.table.item(0, 0).text() == "Организации" and dialog.table.item(0, 1).text() == "1"
    assert _count(region.path, "SELECT count(*) FROM organization") == 0
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: rpage.task is not task and not rpage.task.is_running(), timeout=20_000)
    assert "загружен: новых 1" in rpage.status_label.text()
    assert _count(region.path, "SELECT count(*) FROM organization") == 1
    receipt = tmp_path / "p1-квитанция.msp"
    assert receipt.exists()
    assert not rpage.reports_box.isHidden() and page.reports_box.isHidden()
    assert rpage.reports_table.item(0, 1).text() == "ММЦ Курского района"
    assert rpage.reports_table.item(0, 2).text() == "№ 1" and rpage.reports_table.item(0, 6).text() == ""
    assert rpage.reports_table.item(0, 5).text() == "полностью"

    # A damaged file: refused in the status line, nothing written.
    (tmp_path / "bad.msp").write_bytes(b"not a package")
    task = rpage.open_package(tmp_path / "bad.msp")
    _wait(qtbot, task)
    assert "не является пакетом" in rpage.status_label.text()

    task = page.open_package(receipt)
    _wait(qtbot, task)
    qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible())
    page.preview_dialog.apply_button.click()
    qtbot.waitUntil(lambda: "Квитанция учтена" in page.status_label.text(), timeout=20_000)
    assert page.log_table.item(0, 6).text() != "" or page.log_table.item(1, 6).text() != ""

    page.partners_table.selectRow(0)
    page.revoke_selected()
    assert page.partners_table.item(0, 4).text().startswith("отозван")
    page.grab().save(str(tmp_path / "sync_page.png"))


def test_a_configured_installation_opens_on_the_main_view(qtbot, db):
    init_installation(db, "region", "46", "Регион")
    window = MainWindow(db)
    qtbot.addWidget(window)
    page = window.select_section("exchange").sync_page
    assert page.stack.currentWidget() is page.main_view


def test_a_second_key_for_a_trusted_code_is_replaced_only_when_confirmed(qtbot, tmp_path, sites, monkeypatch):
    region = sites("region", "region", "46", "Региональный центр")
    old = sites("old", "municipal", "46-231", "ММЦ Курского района")
    new = sites("new", "municipal", "46-231", "ММЦ Курского района (новый ПК)")
    write_keycard(old.db, tmp_path / "old.card")
    write_keycard(new.db, tmp_path / "new.card")
    window = MainWindow(region.db)
    qtbot.addWidget(window)
    page = window.select_section("exchange").sync_page
    page.trust_file(tmp_path / "old.card")
    asked = []
    monkeypatch.setattr(page, "confirm_key_replace", lambda text: asked.append(text) or False)
    page.trust_file(tmp_path / "new.card")
    assert "уже закреплён за установкой «ММЦ Курского района»" in asked[0]
    assert "не принята" in page.status_label.text()
    assert [page.partners_table.item(r, 0).text() for r in range(page.partners_table.rowCount())] == \
        ["ММЦ Курского района"]
    monkeypatch.setattr(page, "confirm_key_replace", lambda text: True)
    page.trust_file(tmp_path / "new.card")
    assert "(новый ПК)" in page.status_label.text()
    assert _count(region.path, "SELECT count(*) FROM sync_partner WHERE revoked_at IS NULL") == 1
    assert _count(region.path, "SELECT count(*) FROM audit_log WHERE action = 'sync_key_replace'") == 1


def test_package_and_key_card_dialogs_propose_dated_names_of_this_installation(qtbot, db, documents_home, file_dialogs,
                                                                                tmp_path):
    from datetime import date

    from app.ui.sync.page import SyncPage

    today = f"{date.today():%Y-%m-%d}"
    page = SyncPage(db)
    qtbot.addWidget(page)
    assert page.suggested_name("Пакет", "msp", "Пакет обмена") == f"Пакет обмена {today}.msp"
    init_installation(db, "municipal", "46-231", "ММЦ Курского района")
    page.export_button.click()
    page.keycard_button.click()
    page.import_button.click()
    assert [c[2] for c in file_dialogs.calls] == [
        str(documents_home / f"Пакет ММЦ Курского района {today}.msp"),
        str(documents_home / f"Карточка ключей ММЦ Курского района {today}.json"),
        str(documents_home)]
    inbox = tmp_path / "Почта"
    inbox.mkdir()
    (inbox / "ответ региона.msp").write_bytes(b"not a package")
    file_dialogs.answers = [inbox / "ответ региона.msp"]
    page.import_button.click()
    _wait(qtbot, page.task)
    page.export_button.click()                              # packages: the folder last opened from
    page.keycard_button.click()                             # key cards: a kind of their own
    assert [c[2] for c in file_dialogs.calls[-2:]] == [
        str(inbox / f"Пакет ММЦ Курского района {today}.msp"),
        str(documents_home / f"Карточка ключей ММЦ Курского района {today}.json")]


def test_protected_keys_are_asked_for_once_and_a_wrong_passphrase_is_said_so(qtbot, tmp_path, sites, monkeypatch):
    from app.sync import identity

    mun = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    region = sites("region", "region", "46", "Региональный центр")
    write_keycard(region.db, tmp_path / "region.card")
    trust(mun.db, tmp_path / "region.card")
    window = MainWindow(mun.db)
    qtbot.addWidget(window)
    page = window.select_section("exchange").sync_page
    answers = ["коротко", "длинный пароль ключей"]
    monkeypatch.setattr(page, "ask_passphrase", lambda new=False, error="": (asked.append((new, error)),
                                                                              answers.pop(0))[1])
    asked = []
    page.passphrase_button.click()
    assert asked[0] == (True, "") and "не короче 8" in asked[1][1]
    assert "защищены паролем" in page.status_label.text()
    identity.forget_passphrases()          # the program is started again
    try:
        asked.clear()
        answers[:] = [None]
        assert page.export_to(tmp_path / "p.msp") is None and not (tmp_path / "p.msp").exists()
        assert "без него пакет не подписать" in page.status_label.text()
        answers[:] = ["не тот пароль", "длинный пароль ключей"]
        asked.clear()
        task = page.export_to(tmp_path / "p.msp")
        _wait(qtbot, task)
        assert asked == [(False, ""), (False, "Неверный пароль ключей этой установки.")]
        assert (tmp_path / "p.msp").exists()
        asked.clear()
        page.save_keycard(tmp_path / "mun.card")        # not asked again in this session
        assert asked == [] and (tmp_path / "mun.card").exists()
    finally:
        identity.forget_passphrases()
