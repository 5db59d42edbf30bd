"""Where the main window opens: inside the screen's available area (taskbar excluded), never off it.

A 1366×768 office monitor leaves about 1366×728 above the taskbar; the window
frame (title bar, borders) comes on top of the size Qt is asked for, so the
allowance below keeps the whole frame visible.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication

from app.ui.common import messages

PREFERRED = QSize(1280, 800)
FRAME_ALLOWANCE = QSize(*messages.FRAME_ALLOWANCE)     # borders and the title bar a window manager adds


def fitted_geometry(available: QRect, preferred: QSize = PREFERRED) -> QRect:
    """The client rectangle of a window of ``preferred`` size shrunk to fit ``available``, centred in it."""
    width = min(preferred.width(), available.width() - FRAME_ALLOWANCE.width())
    height = min(preferred.height(), available.height() - FRAME_ALLOWANCE.height())
    rect = QRect(0, 0, max(width, 1), max(height, 1))
    rect.moveCenter(available.center())
    # The title bar sits above the client area: keep it on the screen.
    rect.moveTop(max(rect.top(), available.top() + FRAME_ALLOWANCE.height() - FRAME_ALLOWANCE.width() // 2))
    return rect


def lies_within(frame: QRect, available: QRect) -> bool:
    """True when the whole window frame is on the available area (a restored geometry from another monitor may not be)."""
    return available.contains(frame)


def available_area(widget=None) -> QRect:
    screen = widget.screen() if widget is not None and widget.screen() is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, PREFERRED.width(), PREFERRED.height())
