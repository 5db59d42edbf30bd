"""The few small icons the forms need, drawn in code: no image files, crisp at any scale."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

INK = "#34506f"


@lru_cache(maxsize=None)
def calendar_icon() -> QIcon:
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor(INK)
    p.setPen(QPen(ink, 2.2))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(QRectF(4, 6, 24, 22), 3, 3)
    p.fillRect(QRectF(4, 6, 24, 6), ink)
    p.drawLine(11, 3, 11, 8)
    p.drawLine(21, 3, 21, 8)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ink)
    for row in range(2):
        for column in range(3):
            p.drawRect(QRectF(8 + column * 6.5, 15 + row * 6, 3.5, 3.5))
    p.end()
    return QIcon(pixmap)
