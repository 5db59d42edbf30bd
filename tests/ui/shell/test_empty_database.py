"""An empty database says what to do next: organisations, then teachers, from a spreadsheet."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from app.services.accounts import accounts
from app.services.access.permissions import OBSERVER
from app.ui.importing.dialog import ImportDialog
from app.ui.common.record_table import SEARCH_DELAY_MS
from app.ui.shell.main_window import MainWindow

LOAD_TIMEOUT_MS = 10_000


def _open(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=LOAD_TIMEOUT_MS)
    return window


def test_the_home_page_of_an_empty_base_leads_to_importing_organisations_first(qtbot, db, monkeypatch):
    asked = []
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: asked.append(parent) or None))
    window = _open(qtbot, db)
    steps = window.dashboard.first_steps
    assert steps.isVisible()
    assert steps.organizations_button.isVisible() and steps.teachers_button.isVisible()
    steps.organizations_button.click()
    assert window.current_section() == "organizations"
    page = window.current_page().current_record_page()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=LOAD_TIMEOUT_MS)      # the import's file question
    assert page.empty_panel.isVisible() and not page.table.isVisible()
    assert "Начните с организаций сети" in page.empty_label.text()
    big = page.findChild(QPushButton, "importButtonOnEmptyList")
    assert big.isVisible() and big.text() == "Загрузить из таблицы Excel…"
    big.click()
    assert len(asked) == 2


def test_an_empty_teachers_list_says_to_load_organisations_first_and_goes_once_there_are_records(
        qtbot, db, records):
    window = _open(qtbot, db)
    page = window.show_records("teachers")
    assert page.empty_panel.isVisible() and not page.table.isVisible()
    assert "сначала загрузите организации" in page.empty_label.text()
    assert page.findChild(QPushButton, "importButtonOnEmptyList").isVisible()
    assert page.empty_create_button.isVisible()

    records.create("teachers", {"last_name": "Первова", "first_name": "Анна"})
    page.after_change()
    assert not page.empty_panel.isVisible() and page.table.isVisible() and page.count() == 1
    # A search that finds nothing is not an empty list: the table stays, with «Найдено: 0».
    page.set_search_text("Несуществующая")
    qtbot.wait(SEARCH_DELAY_MS + 100)
    qtbot.waitUntil(lambda: page.count() == 0, timeout=LOAD_TIMEOUT_MS)
    assert page.table.isVisible() and not page.empty_panel.isVisible()

    window.select_section("dashboard")
    window.dashboard.reload()
    qtbot.waitUntil(lambda: not window.dashboard.is_loading(), timeout=LOAD_TIMEOUT_MS)
    assert not window.dashboard.first_steps.isVisible()


def test_an_observer_is_not_offered_buttons_it_may_not_use(qtbot, db):
    accounts.create_account(db, "admin", "secret-1-pass", "admin")
    accounts.create_account(db, "nina", "secret-1-pass", OBSERVER)
    accounts.sign_in(db, "nina", "secret-1-pass")
    window = _open(qtbot, db)
    steps = window.dashboard.first_steps
    assert steps.isVisible() and not steps.organizations_button.isVisible()
    page = window.show_records("organizations")
    assert page.empty_panel.isVisible() and not page.empty_create_button.isVisible()
    assert not page.findChild(QPushButton, "importButtonOnEmptyList").isVisible()
