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

from app.ui.common.messages import FRAME_ALLOWANCE, SURFACE_SCROLLER as PAGE_SCROLLER


def _outside(window: QWidget, page: QWidget) -> list[str]:
    inside = window.rect()
    out = []
    for w in page.findChildren(QWidget):
        if not w.isVisible() or w.isWindow() or w.width() <= 0 or not _is_leaf(w):
            continue
        box = QRect(w.mapTo(window, QPoint(0, 0)), w.size()).adjusted(1, 1, -1, -1)
        if _in_page_scroller(w):
            # Below the fold of a page that scrolls is fine; sideways never.
            box = QRect(box.x(), inside.y(), box.width(), 1)
        if not inside.contains(box):
            out.append(f"{type(w).__name__}:{w.objectName() or getattr(w, 'text', lambda: '')()}")
    return out


def _scroll_areas(w: QWidget) -> list[QWidget]:
    found, parent = [], w.parentWidget()
    while parent is not None:
        if parent.inherits("QAbstractScrollArea"):
            found.append(parent)
        parent = parent.parentWidget()
    return found


def _in_page_scroller(w: QWidget) -> bool:
    return any(area.objectName() == PAGE_SCROLLER for area in _scroll_areas(w))


def _is_leaf(w: QWidget) -> bool:
    # Inside a scroll area a widget may lie below the fold: only what the viewport clips is fine. The page
    # scroller is not such an area: what it holds is checked like the window's own widgets.
    return all(area.objectName() == PAGE_SCROLLER for area in _scroll_areas(w))


def page_scrolls(page: QWidget) -> bool:
    """The page is taller (or wider) than the window leaves it: its scroller shows a scroll bar."""
    from PySide6.QtWidgets import QScrollArea

    scroller = page.findChild(QScrollArea, PAGE_SCROLLER)
    return scroller is not None and (scroller.verticalScrollBar().maximum() > 0
                                     or scroller.horizontalScrollBar().maximum() > 0)


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


def _sidebar_misfits(sidebar) -> list[str]:
    """Section titles the sidebar cuts (its item is narrower than the text) or that lie below its bottom,
    and a vertical scroll bar — which takes the width the longest title needs."""
    out = [f"scroll bar ({sidebar.count()} sections in {sidebar.viewport().height()} px)"
           for _ in [0] if sidebar.verticalScrollBar().isVisible()]
    from PySide6.QtWidgets import QStyle

    # main.qss: #sidebar::item padding and its left border; the style's own margin round an item's text.
    padding = 2 * 18 + 3 + 2 * (sidebar.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for row in range(sidebar.count()):
        item = sidebar.item(row)
        rect = sidebar.visualItemRect(item)
        needed = sidebar.fontMetrics().horizontalAdvance(item.text()) + padding
        if rect.width() < needed:
            out.append(f"{item.text()} ({rect.width()} < {needed})")
        if rect.bottom() > sidebar.viewport().height():
            out.append(f"{item.text()}: below the list")
        if rect.height() < sidebar.fontMetrics().height() + 4:
            out.append(f"{item.text()}: {rect.height()} px high")
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
              "inside": screen.contains(window.frameGeometry()), "sections": {},
              "sidebar": _sidebar_misfits(window.sidebar)}
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        # Background reads (the dashboard's, «На контроле»'s) finish first, and their labels are laid out,
        # so a loaded machine measures the same page as an idle one.
        window.dashboard.wait()
        window.attention.wait()
        for _ in range(5):
            app.processEvents()
        key = window.current_section()
        page = window.current_page()
        report["sections"][key] = {"outside": _outside(window, page), "elided": _elided_headers(page),
                                   "clipped": _clipped_texts(window), "scrolls": page_scrolls(page)}
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


# -- dialogs ---------------------------------------------------------------------------------------------
# Run in its own process too, with a taskbar cut off the bottom of the simulated screen:
#
#     QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json python -c \
#         "import sys; from tests.ui.shell.screen_probe import dialogs_main; sys.exit(dialogs_main(*sys.argv[1:]))" \
#         DB [SHOTS_DIR]

TASKBAR = 40    # a Windows taskbar: 1366×768 leaves 1366×728


def with_taskbar(height: int = TASKBAR) -> None:
    """The offscreen screen has no taskbar; what Python asks of any screen from now on lacks ``height`` px at the bottom."""
    from PySide6.QtGui import QScreen

    whole = QScreen.geometry
    QScreen.availableGeometry = lambda screen: whole(screen).adjusted(0, 0, 0, -height)


def _elided_cells(root: QWidget, rows: int = 30) -> list[str]:
    """Texts cut short in the columns of a table that do not stretch (short values: kinds, forms, dates)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    out = []
    for view in root.findChildren(QAbstractItemView):
        header = getattr(view, "horizontalHeader", None)
        if header is None or not view.isVisible() or view.model() is None:
            continue
        header: QHeaderView = header()
        model = view.model()
        option = QStyleOptionViewItem()
        option.font = view.font()
        option.fontMetrics = view.fontMetrics()
        delegate = view.itemDelegate()
        for section in range(header.count()):
            if header.isSectionHidden(section) or header.sectionResizeMode(section) == QHeaderView.ResizeMode.Stretch:
                continue
            if header.stretchLastSection() and section == header.count() - 1:
                continue
            for row in range(min(rows, model.rowCount())):
                index = model.index(row, section)
                text = str(index.data() or "")
                needed = delegate.sizeHint(option, index).width()
                if text and header.sectionSize(section) < needed:
                    out.append(f"{model.headerData(section, header.orientation())}: {text} "
                               f"({header.sectionSize(section)} < {needed})")
                    break
    return out


def _scrolled_sideways(root: QWidget) -> list[str]:
    from PySide6.QtWidgets import QAbstractScrollArea

    return [f"{type(w).__name__}:{w.objectName()}" for w in root.findChildren(QAbstractScrollArea)
            if w.isVisible() and isinstance(w, QAbstractItemView) and w.horizontalScrollBar().isVisible()]


def dialog_report(dialog: QWidget, shots: str | None = None, name: str = "dialog") -> dict:
    """Shows ``dialog`` as it opens and reports, for each page of its tabs: what sticks out, elided headers and
    short cells, clipped buttons and labels, tables scrolled sideways; its size against the available screen."""
    from PySide6.QtWidgets import QTabWidget

    app = QApplication.instance()
    dialog.show()
    for _ in range(3):
        app.processEvents()
    available = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    hint = dialog.minimumSizeHint()
    report = {"available": [available.x(), available.y(), available.width(), available.height()],
              "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
              "size": [dialog.width(), dialog.height()], "minimum": [hint.width(), hint.height()],
              "pages": {}}
    tabs = [t for t in dialog.findChildren(QTabWidget) if t.isVisible()]
    pages = [(t, i) for t in tabs for i in range(t.count())] or [(None, 0)]
    for tab, index in pages:
        if tab is not None:
            tab.setCurrentIndex(index)
            for _ in range(3):
                app.processEvents()
        key = tab.tabText(index) if tab is not None else "—"
        report["pages"][key] = {"outside": _outside(dialog, dialog), "elided": _elided_headers(dialog),
                                "cells": _elided_cells(dialog), "clipped": _clipped_texts(dialog),
                                "sideways": _scrolled_sideways(dialog)}
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            picture = Path(shots) / f"{name}-{index}-{available.width()}x{available.height()}.png"
            dialog.grab().save(str(picture))
    return report


def demo_teacher(service) -> str:
    """A demo teacher whose card fills every table: routes with items, events, materials, credits; the fullest first."""
    from app.services.registry.teacher_card import teacher_card

    best, score = None, -1
    for teacher_id in service.ids("teachers")[:400]:
        card = teacher_card(service.db, teacher_id)
        items = sum(len(t.items) for t in card.trajectories)
        if not (items and card.participations and card.materials and card.credits_by_year):
            continue
        kinds = {i.kind_label for t in card.trajectories for i in t.items}
        documents = sum(1 for t in card.trajectories for i in t.items if i.document_number)
        mark = len(kinds) * 10 + bool(documents) * 5 + min(items, 10)
        if mark > score:
            best, score = teacher_id, mark
    assert best is not None, "no demo teacher with rows in every table of the card"
    return best


DIALOGS = ("teacherCard", "groupRoutes", "teacherForm", "eventCard")


def open_dialog(service, which: str) -> QWidget:
    """«teacherCard»: the card of the fullest demo teacher; «groupRoutes»: the group dialog over a school's
    teachers with a template of one item of each kind; a class name of tests/ui/shell/dialog_catalogue."""
    from tests.ui.shell import dialog_catalogue

    if which in dialog_catalogue.names():
        return dialog_catalogue.open_catalogued(service, service.db, which)
    if which == "teacherCard":
        from app.ui.registry.teacher_card_dialog import TeacherCardDialog

        return TeacherCardDialog(service, demo_teacher(service))
    if which == "teacherForm":
        from app.ui.common.record_dialog import RecordDialog

        return RecordDialog(service, "teachers", demo_teacher(service))
    if which == "eventCard":
        from app.ui.events.card import EventCardDialog

        return EventCardDialog(service, service.ids("events")[0])
    from app.domain import enums as E
    from app.ui.development.group_routes_dialog import SOURCE_ORGANIZATION, GroupRoutesDialog

    dialog = GroupRoutesDialog(service, service.ids("teachers")[:40])
    counts = {}
    for teacher in service.list("teachers").rows:
        counts[teacher.get("organization_id")] = counts.get(teacher.get("organization_id"), 0) + 1
    school = max((k for k in counts if k), key=counts.get)
    name = service.rows("organizations", [school])[school]
    dialog.show_teachers(SOURCE_ORGANIZATION, school, name.get("short_name") or name.get("full_name") or "")
    formalities = [f.value for f in E.Formality]
    for n, kind in enumerate(E.ItemKind):
        dialog.items_editor.model.add({"kind": kind.value, "formality": formalities[n % len(formalities)],
                                       "title": f"{kind.label}: содержание элемента маршрута для всей группы",
                                       "planned_start": None, "planned_end": None, "hours": 36})
    return dialog


def dialogs_main(db_arg: str, which: str = ",".join(DIALOGS), shots: str | None = None) -> int:
    """The dialogs named (comma-separated, of DIALOGS) on a screen with a taskbar: one JSON object by name."""
    from app.services.accounts.accounts import sign_in
    from app.services.common.bootstrap import open_database
    from app.services.registry.service import RecordService
    from app.ui.shell.application import setup_application

    with_taskbar()
    app = QApplication.instance() or QApplication([])
    setup_application(app)
    db, _ = open_database(db_arg)
    sign_in(db, "admin", "demo")
    service = RecordService(db)
    report = {}
    for name in which.split(","):
        dialog = open_dialog(service, name)
        report[name] = dialog_report(dialog, shots, name)
        dialog.close()
        dialog.deleteLater()
    print(json.dumps(report, ensure_ascii=False))
    db.dispose()
    return 0


def screen_environment(work: Path, width: int, height: int, scale: float = 1.0) -> dict[str, str]:
    """The environment of a probe process: offscreen Qt on one ``width``×``height`` screen, no METODSET_* of ours;
    ``scale`` is Windows' «Масштаб» (QT_SCALE_FACTOR): 1.5 leaves 1280×720 logical pixels of 1920×1080."""
    import os

    config = work / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width, "height": height,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}),
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("METODSET_")}
    env.update(QT_QPA_PLATFORM=f"offscreen:configfile={config}", METODSET_DATA_DIR=str(work / "userdata"),
               PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    env.pop("QT_SCALE_FACTOR", None)
    if scale != 1.0:
        env["QT_SCALE_FACTOR"] = str(scale)
    return env


def probe_dialogs(db_path: Path, which: str, width: int, height: int, work: Path,
                  shots: Path | None = None, scale: float = 1.0) -> dict:
    """Runs dialogs_main in a process of its own on a simulated ``width``×``height`` screen; its JSON report."""
    import subprocess

    root = Path(__file__).resolve().parents[3]
    work.mkdir(parents=True, exist_ok=True)
    env = screen_environment(work, width, height, scale)
    code = "import sys; from tests.ui.shell.screen_probe import dialogs_main; sys.exit(dialogs_main(*sys.argv[1:]))"
    args = [sys.executable, "-c", code, str(db_path), which] + ([str(shots)] if shots else [])
    done = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])




def make_demo_database(path: Path, template: Path, teachers: int = 300) -> Path:
    """A copy of the migrated empty database filled with demo data and the demo accounts."""
    import shutil

    from app.services.accounts.accounts import create_demo_accounts
    from app.services.common.bootstrap import open_database
    from app.services.demo.generator import generate_demo

    shutil.copy(template, path)
    db, _ = open_database(str(path))
    generate_demo(db, teachers)
    create_demo_accounts(db)
    db.dispose()
    return path


def misfits(report: dict, width: int, height: int) -> list[str]:
    """What keeps a dialog_report's dialog from fitting a ``width``×``height`` screen with a taskbar, frame included."""
    x, y, w, h = report["available"]
    out = [] if [x, y, w, h] == [0, 0, width, height - TASKBAR] else [f"available {report['available']}"]
    fx, fy, fw, fh = report["frame"]
    if not (fx >= x and fy >= y and fx + fw <= x + w and fy + fh <= y + h):
        out.append(f"frame {report['frame']} outside {report['available']}")
    for what in ("size", "minimum"):
        dw, dh = report[what]
        if dw + FRAME_ALLOWANCE[0] > w or dh + FRAME_ALLOWANCE[1] > h:
            out.append(f"{what} {dw}×{dh} with its frame > {w}×{h}")
    return out
