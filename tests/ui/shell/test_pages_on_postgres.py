"""Every page of the window works on a PostgreSQL database, as on the SQLite file."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from app.services.common.bootstrap import open_database
from app.services.demo.generator import generate_demo
from app.ui.shell.main_window import MainWindow

FAILURE_WORDS = ("Не удалось", "Ошибка", "ошибка:", "Traceback")


def _failures(window) -> list[str]:
    found = []
    for label in window.findChildren(QLabel):
        text = label.text()
        if label.isVisible() and any(w in text for w in FAILURE_WORDS):
            found.append(text)
    return found


def test_every_section_and_tab_opens_on_postgresql(qtbot, pg_url, message_answers):
    db, _ = open_database(pg_url)
    try:
        generate_demo(db, 120)
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.resize(1366, 728)
        window.show()
        qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=20_000)
        seen = []
        for key, section in window.pages.items():
            window.select_section(key)
            for entity in section.record_pages:
                page = section.show_entity(entity)
                qtbot.waitUntil(lambda: not page.model.is_loading() if hasattr(page.model, "is_loading")
                                else True, timeout=20_000)
                QApplication.processEvents()
                seen.append((key, entity, page.count()))
            for report in section.report_tabs:
                tab = section.show_report(report)
                qtbot.wait(50)
                seen.append((key, report, tab.model.rowCount()))
            qtbot.wait(100)
            assert _failures(window) == [], key
        assert message_answers["errors"] == []
        counts = {(k, e): n for k, e, n in seen}
        assert counts[("teachers", "teachers")] == 120
        # Every list and report tab showed rows of the demo centre, read from the server.
        assert len(seen) > 15 and all(n > 0 for n in counts.values()), seen
    finally:
        db.dispose()
