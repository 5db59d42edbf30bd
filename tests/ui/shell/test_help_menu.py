"""Menus a Windows user expects: Файл first, Сервис, Справка last; F1 shows the current section's help, whose
links open the pages of the user guide (docs/guide) in the same window."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.ui.shell.help_menu import text_fragments
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


def _links(browser) -> list[str]:
    """The addresses of the links on the page the help browser shows."""
    return [f.charFormat().anchorHref() for f in text_fragments(browser.document())
            if f.charFormat().isAnchor() and f.charFormat().anchorHref()]


def _images(browser) -> list[str]:
    return [f.charFormat().toImageFormat().name() for f in text_fragments(browser.document())
            if f.charFormat().isImageFormat()]


def test_a_link_of_the_section_help_opens_the_guide_page_with_its_pictures(qtbot, db):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    from app.resource_files import guide_path
    from app.ui.shell.help_menu import image_size

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.select_section("teachers")
    window.help_actions["help"].trigger()                      # F1
    dialog = window._help_dialogs["help"]
    browser = dialog.browser
    assert browser.toPlainText().startswith("Педагоги")
    assert Path(browser.source().toLocalFile()).name == "teachers.md"
    assert "guide:teacher-route.md" in _links(browser)
    assert not dialog.back_button.isEnabled()

    browser.anchorClicked.emit(QUrl("guide:teacher-route.md"))   # what a click on the link does
    assert Path(browser.source().toLocalFile()) == guide_path("teacher-route.md")
    assert browser.toPlainText().startswith("Вести маршрут педагога")
    images = _images(browser)
    assert "img/teacher-card.png" in images
    for name in images:
        picture = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        size = image_size(picture)
        assert size is not None and size[0] == 1366, name            # the picture itself, loaded
    qtbot.waitUntil(dialog.isVisible)
    assert browser.horizontalScrollBar().maximum() == 0, "a picture is wider than the help window"

    # A link of the guide to another of its pages, then back twice to the section's help.
    assert "event-certificates.md" in _links(browser)
    browser.anchorClicked.emit(QUrl("event-certificates.md"))
    assert Path(browser.source().toLocalFile()) == guide_path("event-certificates.md")
    assert browser.toPlainText().startswith("Провести мероприятие")
    dialog.back_button.click()
    dialog.back_button.click()
    assert Path(browser.source().toLocalFile()).name == "teachers.md"


def _image_widths(browser) -> list[float]:
    return [f.charFormat().toImageFormat().width() for f in text_fragments(browser.document())
            if f.charFormat().isImageFormat()]


def test_the_help_menu_opens_the_guide_at_its_index_with_pictures_as_wide_as_the_page(qtbot, db):
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.help_actions["guide"].trigger()           # the page is loaded before the window is laid out
    dialog = window._help_dialogs["help"]
    qtbot.waitUntil(dialog.isVisible)
    browser = dialog.browser
    assert window.help_actions["guide"].text() == "Руководство методиста"
    assert browser.toPlainText().startswith("Руководство методиста МетодСети")
    assert {"import-registry.md", "backup-restore.md"} <= set(_links(browser))
    room = browser.viewport().width()
    widths = _image_widths(browser)
    assert widths and all(room * 0.9 <= w <= room for w in widths), (room, widths)
    assert browser.horizontalScrollBar().maximum() == 0
    dialog.resize(dialog.width() - 200, dialog.height())          # narrower: the pictures follow
    qtbot.waitUntil(lambda: browser.viewport().width() < room)
    assert all(w <= browser.viewport().width() for w in _image_widths(browser))


def test_guide_path_finds_the_guide_in_the_checkout_and_prefers_a_bundled_copy(tmp_path, monkeypatch):
    from app import resource_files
    from app.resource_files import guide_path

    checkout = Path(__file__).resolve().parents[3] / "docs" / "guide"
    assert guide_path("index.md") == checkout / "index.md"
    assert guide_path("img", "teacher-card.png").is_file()
    bundled = tmp_path / "resources"
    (bundled / "guide").mkdir(parents=True)
    (bundled / "guide" / "index.md").write_text("# Руководство", encoding="utf-8")
    monkeypatch.setattr(resource_files, "resource_roots", lambda: [bundled])   # a frozen build or a wheel
    assert guide_path("index.md") == bundled / "guide" / "index.md"
    assert guide_path("teacher-route.md") == checkout / "teacher-route.md"     # not bundled: the checkout's
