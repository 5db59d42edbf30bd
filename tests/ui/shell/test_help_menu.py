"""Menus a Windows user expects: Файл first, Сервис, Справка last; F1 shows the current section's help."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.shell.main_window import MainWindow
from app.ui.shell.sections import SECTIONS


def test_file_service_and_help_menus_in_russian(qtbot, db):
    window = MainWindow(db)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["Файл", "Правка", "Сервис", "Справка"]
    assert window.help_actions["exit"].shortcut().toString() == "Ctrl+Q"
    assert window.help_actions["help"].shortcut().toString() == "F1"
    assert {"open", "backups", "exit", "help", "shortcuts", "about"} <= set(window.help_actions)
    assert window.help_actions["open"].shortcut().toString() == "Ctrl+O"


def test_f1_opens_the_help_of_the_section_on_screen(qtbot, db):
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select_section("teachers")
    qtbot.keyClick(window.current_page(), Qt.Key.Key_F1)
    dialog = window._help_dialogs["help"]
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert text.startswith("Педагоги") and "Импорт" in text
    for section in SECTIONS:          # every section has its own page of help
        window.select_section(section.key)
        window.help_actions["help"].trigger()
        assert window._help_dialogs["help"].browser.toPlainText().startswith(section.title), section.key


def test_about_names_version_database_schema_and_data_folder(qtbot, db, _isolated_data_dir):
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.help_actions["about"].trigger()
    text = window._help_dialogs["about"].text()
    assert "МетодСеть, версия " in text
    assert f"База данных: {db.describe()}" in text
    assert "Версия схемы базы: 0018_postgres_change_sequence" in text
    assert f"Папка данных пользователя: {_isolated_data_dir}" in text


def test_the_edit_menu_acts_on_the_list_on_screen(qtbot, db, records, monkeypatch):
    from app.ui.common import messages

    records.create("organizations", {"full_name": "МБОУ СШ № 1", "kind": "school"})
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.select_section("dashboard")
    window.update_edit_actions()
    # «Главная» has no list: nothing to create or delete there.
    assert not any(a.isEnabled() for a in window.edit_actions.values())
    page = window.show_records("organizations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    window.update_edit_actions()
    assert window.edit_actions["create"].isEnabled() and window.edit_actions["find"].isEnabled()
    assert not window.edit_actions["delete"].isEnabled()          # nothing chosen yet
    assert window.edit_actions["create"].text() == "Создать запись\tCtrl+N"
    page.table.selectRow(0)
    window.update_edit_actions()
    assert window.edit_actions["delete"].isEnabled()
    window.edit_actions["find"].trigger()
    qtbot.waitUntil(page.search_field.hasFocus)
    monkeypatch.setattr(messages, "confirm_delete", lambda *a, **k: True)
    window.edit_actions["delete"].trigger()
    assert records.count("organizations") == 0
    window.edit_actions["trash"].trigger()
    assert page.trash_dialog is not None and page.trash_dialog.isVisible()
    page.trash_dialog.close()


def test_the_edit_menu_is_off_for_an_observer(qtbot, db, records):
    from tests.security.conftest import as_role

    records.create("organizations", {"full_name": "МБОУ СШ № 1", "kind": "school"})
    as_role(db, "observer")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.show_records("organizations")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.table.selectRow(0)
    window.update_edit_actions()
    assert not window.edit_actions["create"].isEnabled() and not window.edit_actions["delete"].isEnabled()
    assert window.edit_actions["find"].isEnabled()
