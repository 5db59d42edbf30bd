"""Opens the main window on a demo database at one screen size, visits every section and reports.

Run in its own process (a QApplication has one screen set-up for life):

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python -m tests.ui.shell.screen_probe DB [SHOTS_DIR]

Prints one JSON object: the screen, the window's frame, and per section the
widgets that stick out of the window, the header texts that do not fit
their column and the buttons and labels cut short; with SHOTS_DIR, a PNG of every section.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QHeaderView, QLabel, QWidget


def _outside(window: QWidget, page: QWidget) -> list[str]:
    inside = window.rect()
    out = []
    for w in page.findChildren(QWidget):
        if not w.isVisible() or w.isWindow() or w.width() <= 0:
            continue
        top_left = w.mapTo(window, QPoint(0, 0))
        if not inside.contains(QRect(top_left, w.size()).adjusted(1, 1, -1, -1)) and _is_leaf(w):
            out.append(f"{type(w).__name__}:{w.objectName() or getattr(w, 'text', lambda: '')()}")
    return out


def _is_leaf(w: QWidget) -> bool:
    # Inside a scroll area a widget may lie below the fold: only what the viewport clips is fine.
    parent = w.parentWidget()
    while parent is not None:
        if parent.inherits("QAbstractScrollArea"):
            return False
        parent = parent.parentWidget()
    return True


def _elided_headers(page: QWidget) -> list[str]:
    out = []
    for view in page.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", None)
        if header is None or not view.isVisible():
            continue
        header: QHeaderView = header()
        model = view.model()
        if model is None:
            continue
        metrics = header.fontMetrics()
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = str(model.headerData(section, header.orientation()) or "")
            needed = max((metrics.horizontalAdvance(line) for line in text.splitlines() or [""]), default=0) + 12
            if text and header.sectionSize(section) < needed and header.sectionSize(section) > 0:
                out.append(f"{text} ({header.sectionSize(section)} < {needed})")
    return out


def _clipped_texts(root: QWidget) -> list[str]:
    """Buttons and one-line labels narrower than their text: Qt cuts them without a «…»."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.isWindow() or not _is_leaf(w):
            continue
        if isinstance(w, QAbstractButton) and not w.inherits("QToolButton") and w.text():
            short = w.sizeHint().width() - w.width()
        elif isinstance(w, QLabel) and not w.wordWrap() and w.text() and w.pixmap().isNull():
            short = w.minimumSizeHint().width() - w.width()
        else:
            continue
        if short > 1:
            out.append(f"{type(w).__name__}:{w.text()} ({short} px)")
    return out


def main(db_arg: str, shots: str | None = None) -> int:
    from app.services.accounts.accounts import sign_in
    from app.services.common.bootstrap import open_database
    from app.ui.shell.application import setup_application
    from app.ui.shell.main_window import MainWindow
    from app.ui.demo.first_start_dialog import FirstStartDialog

    app = QApplication.instance() or QApplication([])
    setup_application(app)
    FirstStartDialog.ask = classmethod(lambda cls, parent=None: None)
    db, _ = open_database(db_arg)
    sign_in(db, "admin", "demo")
    window = MainWindow(db)
    window.show()
    app.processEvents()
    screen = window.screen().availableGeometry()
    report = {"screen": [screen.width(), screen.height()],
              "frame": [window.frameGeometry().x(), window.frameGeometry().y(),
                        window.frameGeometry().width(), window.frameGeometry().height()],
              "inside": screen.contains(window.frameGeometry()), "sections": {}}
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        for _ in range(3):
            app.processEvents()
        key = window.current_section()
        page = window.current_page()
        report["sections"][key] = {"outside": _outside(window, page), "elided": _elided_headers(page),
                                   "clipped": _clipped_texts(window)}
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            window.grab().save(str(Path(shots) / f"{row:02d}-{key}-{screen.width()}x{screen.height()}.png"))
    window.dashboard.wait()
    print(json.dumps(report, ensure_ascii=False))
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
