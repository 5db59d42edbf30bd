"""Draws the application icon and writes resources/icons/metodset.png and metodset.ico.

The icon is drawn here, in code (a network: a centre joined to five schools, on the
splash window's blue), so that the committed pictures have a known origin; run it
again after changing the drawing:

    .venv/bin/python tools/make_icon.py

metodset.png (256×256) is the window icon; metodset.ico (16…256 px, each size drawn
anew, not scaled) is the icon of the Windows executables and of the installer.
The ICO container is written here: Qt's ICO writer stores one picture per file, and
Windows wants several. Sizes below 256 are 32-bit DIBs, 256 is a PNG, as in the icons
Windows itself ships.
"""
from __future__ import annotations

import math
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
PNG_SIZE = 256
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
BACKGROUND = QColor("#1f4e79")      # the splash window's colour
ACCENT = QColor("#f2b134")
WHITE = QColor("#ffffff")
SCHOOLS = 5


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = s * 0.03
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(BACKGROUND))
    painter.drawRoundedRect(QRectF(margin, margin, s - 2 * margin, s - 2 * margin), s * 0.2, s * 0.2)

    centre = QPointF(s / 2, s / 2)
    radius = s * 0.30
    schools = [QPointF(centre.x() + radius * math.sin(2 * math.pi * i / SCHOOLS),
                       centre.y() - radius * math.cos(2 * math.pi * i / SCHOOLS)) for i in range(SCHOOLS)]
    line = QPen(WHITE, max(1.0, s * 0.035))
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(line)
    for i, school in enumerate(schools):
        painter.drawLine(centre, school)
        painter.drawLine(school, schools[(i + 1) % SCHOOLS])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(WHITE))
    node = max(1.5, s * 0.085)
    for school in schools:
        painter.drawEllipse(school, node, node)
    painter.setBrush(QBrush(ACCENT))
    hub = max(2.0, s * 0.13)
    painter.drawEllipse(centre, hub, hub)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data)


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA DIB as an ICO entry holds it: the header with twice the height, rows bottom-up,
    then the 1-bit AND mask (all zeros: the alpha channel says what is transparent)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in reversed(range(size)):
        row = bytearray()
        for x in range(size):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)       # little-endian 0xAARRGGBB is B, G, R, A
        rows.append(bytes(row))
    mask_row = ((size + 31) // 32) * 4
    return header + b"".join(rows) + bytes(mask_row * size)


def ico_bytes(sizes=ICO_SIZES) -> bytes:
    entries = []
    for size in sizes:
        image = draw(size)
        entries.append((size, png_bytes(image) if size >= 256 else dib_bytes(image)))
    head = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(head) + 16 * len(entries)
    directory, payload = b"", b""
    for size, data in entries:
        side = 0 if size >= 256 else size           # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return head + directory + payload


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "metodset.png").write_bytes(png_bytes(draw(PNG_SIZE)))
    (OUT / "metodset.ico").write_bytes(ico_bytes())
    print(f"{OUT / 'metodset.png'}\n{OUT / 'metodset.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
