"""A window on screen at once: painted before the program loads its database and the rest of itself.

Importing the services, SQLAlchemy, openpyxl and every page takes most of a second
on an office PC; the user sees this small window during that time instead of nothing.
It imports only Qt, so ``main.py`` shows it before importing anything else of the
program; run_gui closes it just before the first real window (the sign-in) appears.
"""
from __future__ import annotations

import os
import sys
from typing import Sequence

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel

WIDTH, HEIGHT = 420, 160
PAINT_WAIT_MS = 2_000
# Options of the command line that take a value (``--db ПУТЬ``): the value is not a command.
_OPTIONS_WITH_VALUE = ("--db", "--user")

_splash: QLabel | None = None


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def starts_window(argv: Sequence[str]) -> bool:
    """Whether these arguments start the graphical interface (no command, or ``gui``) on a display."""
    args = list(argv)
    if "-h" in args or "--help" in args:
        return False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in _OPTIONS_WITH_VALUE:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg == "gui" and has_display()
    return has_display()


def _picture() -> QPixmap:
    picture = QPixmap(WIDTH, HEIGHT)
    picture.fill(QColor("#1f4e79"))
    painter = QPainter(picture)
    painter.setPen(QColor("white"))
    title = QFont()
    title.setPointSize(20)
    title.setBold(True)
    painter.setFont(title)
    painter.drawText(24, 62, "МетодСеть")
    body = QFont()
    body.setPointSize(10)
    painter.setFont(body)
    painter.drawText(24, 96, "сетевое взаимодействие методической службы")
    painter.drawText(24, 132, "Программа запускается…")
    painter.end()
    return picture


class _Painted(QObject):
    painted = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def show_splash() -> QLabel:
    """Shows the window and returns once it is painted (or after PAINT_WAIT_MS).

    A plain label, not QSplashScreen: that one waits up to a second for the window
    system to report the window exposed, which some never do.
    """
    global _splash
    application = QApplication.instance() or QApplication(sys.argv[:1])
    splash = QLabel()
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setPixmap(_picture())
    splash.setFixedSize(WIDTH, HEIGHT)
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        splash.move(area.center().x() - WIDTH // 2, area.center().y() - HEIGHT // 2)
    watcher = _Painted(splash)
    splash.installEventFilter(watcher)
    splash.show()
    clock = QElapsedTimer()
    clock.start()
    while not watcher.painted and clock.elapsed() < PAINT_WAIT_MS:
        application.processEvents()
    splash.removeEventFilter(watcher)
    _splash = splash
    return splash


def show_splash_for(argv: Sequence[str]) -> QLabel | None:
    return show_splash() if starts_window(argv) else None


def close_splash() -> None:
    global _splash
    if _splash is not None:
        _splash.close()
        _splash.deleteLater()
        _splash = None


def splash_shown() -> bool:
    return _splash is not None and _splash.isVisible()


__all__ = ["show_splash", "show_splash_for", "close_splash", "starts_window", "has_display", "splash_shown"]
