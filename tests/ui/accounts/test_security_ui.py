"""Sign-in before the window, account management, audit log and backups windows, damaged-database start."""
from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.accounts import accounts
from app.services.maintenance import backups
from app.services.access.permissions import ADMIN, OBSERVER, current
from app.ui.maintenance import backups_page
from app.ui.shell import startup
from app.ui.accounts.accounts_page import AccountsDialog, NewAccountDialog
from app.ui.shell.application import run_gui
from app.ui.accounts.audit_page import AuditDialog
from app.ui.maintenance.backups_page import BackupsDialog
from app.ui.shell.main_window import MainWindow


@pytest.fixture
def opened_windows(monkeypatch):
    opened = []
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: opened.extend(
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()) or 0))
    yield opened
    for w in opened:
        w.close()
        w.deleteLater()


def test_a_new_database_insists_on_the_administrator_first(tmp_path, opened_windows, login_answers):
    path = tmp_path / "new.sqlite"
    login_answers["accept"] = False
    assert run_gui(str(path)) == 0 and opened_windows == []
    assert login_answers["shown"] == ["SetupAdminDialog"]
    login_answers["accept"] = True
    assert run_gui(str(path)) == 0
    window = opened_windows[0]
    assert set(window.service_actions) == {"accounts", "audit", "backups", "deadlines", "centre", "password"}
    assert window.account_label.text() == "Пользователь: admin (администратор)"


def test_sign_in_as_an_observer_shows_no_administration(db_path, db, opened_windows, login_answers):
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    accounts.create_account(db, "viewer", "pw123456", OBSERVER)
    db.dispose()
    login_answers["login"] = ("viewer", "wrong")
    login_answers["accept"] = True
    assert run_gui(str(db_path)) == 0 and opened_windows == []
    login_answers["login"] = ("viewer", "pw123456")
    assert run_gui(str(db_path)) == 0
    assert set(opened_windows[0].service_actions) == {"password"}
    page = opened_windows[0].record_page("teachers")
    assert page.create_button.isHidden() and page.delete_button.isHidden() and not page.edit_button.isHidden()
    assert "наблюдатель" in opened_windows[0].account_label.text()


def test_a_reset_password_must_be_changed_at_sign_in(db_path, db, opened_windows, login_answers):
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    accounts.sign_in(db, "admin", "secret-1-pass")
    accounts.create_account(db, "olga", "temporary11", "methodist", must_change_password=True)
    db.dispose()
    login_answers["login"] = ("olga", "temporary11")
    assert run_gui(str(db_path)) == 0
    assert login_answers["shown"] == ["LoginDialog", "ChangePasswordDialog"]
    accounts.sign_in(db, "olga", "secret-2-pass")     # the new password works


def test_administrator_creates_and_blocks_an_account(qtbot, db, records):
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    accounts.sign_in(db, "admin", "secret-1-pass")
    dialog = AccountsDialog(db)
    qtbot.addWidget(dialog)
    form = NewAccountDialog(db, dialog)
    qtbot.addWidget(form)
    qtbot.keyClicks(form.login_edit, "nina")
    form.name_edit.setText("Нина Петрова")    # keyClicks types ASCII only
    form.role_combo.setCurrentIndex(form.role_combo.findData("expert"))
    qtbot.keyClicks(form.password_edit, "temporary55")
    form.ok_button.click()
    assert "выберите педагога" in form.error_label.text()
    form.role_combo.setCurrentIndex(form.role_combo.findData(OBSERVER))
    form.ok_button.click()
    assert form.result() == form.DialogCode.Accepted
    dialog.reload()
    assert [dialog.model.text(r, 0) for r in range(dialog.model.rowCount())] == ["admin", "nina"]
    dialog.select_login("nina")
    dialog.block_button.click()
    assert dialog.model.text(1, 3) == "заблокирована"
    with pytest.raises(accounts.SignInFailed, match="заблокирована"):
        accounts.sign_in(db, "nina", "temporary55")
    dialog.grab().save(str(db.path.parent / "accounts.png"))


def test_audit_window_filters_shows_before_after_and_exports(qtbot, db, records, tmp_path):
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    accounts.sign_in(db, "admin", "secret-1-pass")
    with records.batch() as b:
        ids = [b.create("organizations", {"full_name": f"Школа № {i}", "kind": "school"})["id"] for i in range(450)]
    records.update("organizations", ids[0], {"full_name": "Лицей № 1"})
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 452
    assert dialog.model.fetches <= 2          # only the rows in view were read
    dialog.table.selectRow(0)
    text = dialog.details.toPlainText()
    assert "Было:\nПолное наименование: Школа № 0" in text and "Стало:\nПолное наименование: Лицей № 1" in text
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("accounts"))
    dialog.apply_button.click()
    assert dialog.model.rowCount() == 1 and dialog.count_label.text() == "Записей журнала: 1"
    dialog.kind_combo.setCurrentIndex(0)
    dialog.since_check.setChecked(True)
    dialog.until_check.setChecked(True)
    dialog.apply_button.click()
    assert dialog.model.rowCount() == 452          # all made today
    out = tmp_path / "журнал.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(str(out))
    ws = load_workbook(out, read_only=True).active
    assert sum(1 for _ in ws.iter_rows()) == 453
    dialog.grab().save(str(tmp_path / "audit.png"))


def test_backups_window_copies_and_restores(qtbot, db, records, tmp_path, monkeypatch):
    t = records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    backups.daily_backup(db)
    records.update("teachers", t["id"], {"last_name": "Изменённая"})
    dialog = BackupsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1 and dialog.model.text(0, 1) == "ежедневная"
    copy = tmp_path / "copy.sqlite"
    dialog.backup_to(str(copy))
    assert copy.is_file() and "сохранена" in dialog.status_label.text()
    asked = []
    monkeypatch.setattr(backups_page, "confirm_restore", lambda parent, question: asked.append(question) or True)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.restored):
        dialog.restore_button.click()
    assert records.get("teachers", t["id"])["last_name"] == "Былова"
    assert "Учётные записи не восстанавливаются из копии: останутся текущие (0)" in asked[0]
    assert dialog.model.rowCount() == 2      # the state before the restore was kept


def test_a_damaged_database_is_restored_from_the_latest_good_backup_on_start(
        db_path, db, records, opened_windows, monkeypatch):
    records.create("teachers", {"last_name": "Былова", "first_name": "Вера"})
    good = backups.backup_before(db, "test")
    db.dispose()
    with sqlite3.connect(db_path) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):
        data[offset + 100: offset + 400] = b"\xde\xad" * 150
    db_path.write_bytes(bytes(data))
    asked = []
    monkeypatch.setattr(startup, "ask_recover", lambda parent, path, problem, backup: asked.append(backup) or True)
    assert run_gui(str(db_path)) == 0
    assert asked == [good]
    window = opened_windows[0]
    assert current(window._db).login == "admin"
    assert window._service.count("teachers") == 1


def test_audit_details_read_as_the_user_typed_them_not_as_stored_codes(qtbot, db, records, tmp_path):
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    accounts.sign_in(db, "admin", "secret-1-pass")
    school = records.create("organizations", {"full_name": "Средняя школа № 7", "short_name": "СШ № 7",
                                              "kind": "school"})
    college = records.create("organizations", {"full_name": "Колледж связи", "kind": "college"})
    teacher = records.create("teachers", {"last_name": "Кодова", "first_name": "Вера",
                                          "organization_id": school["id"]})
    records.update("teachers", teacher["id"], {"organization_id": college["id"], "qualification_category": "highest",
                                               "birth_date": "1980-05-04"})
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(0)
    text = dialog.details.toPlainText()
    before, after = text.split("Стало:")
    assert "Организация: СШ № 7" in before and "Организация: Колледж связи" in after
    assert "Квалификационная категория: Высшая" in text and "04.05.1980" in text
    assert school["id"] not in text and "highest" not in text and "1980-05-04" not in text
    dialog.table.selectRow(2)           # the college's creation
    assert "Тип организации: Профессиональная образовательная организация" in dialog.details.toPlainText()
    out = tmp_path / "журнал.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.export_to(str(out))
    cells = [c for row in load_workbook(out, read_only=True).active.iter_rows(values_only=True) for c in row if c]
    assert any("Организация: Колледж связи" in str(c) for c in cells)
    assert not any("highest" in str(c) for c in cells)
