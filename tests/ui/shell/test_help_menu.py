"""Menus a Windows user expects: Файл first, Сервис, Справка last; F1 shows the current section's help."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.shell.main_window import MainWindow
from app.ui.shell.sections import SECTIONS


def test_file_service_and_help_menus_in_russian(qtbot, db):
    window = MainWindow(db)
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["Файл", "Сервис", "Справка"]
    assert window.help_actions["exit"].shortcut().toString() == "Ctrl+Q"
    assert window.help_actions["help"].shortcut().toString() == "F1"
    assert {"backups", "exit", "help", "shortcuts", "about"} <= set(window.help_actions)


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
    assert "Версия схемы базы: 0015_personal_data_levels" in text
    assert f"Папка данных пользователя: {_isolated_data_dir}" in text
