"""Certificates of participation as PDF: one A4 landscape page per certificate.

The page is drawn on a canvas (a fixed formal layout, not a flowing document):
a double frame, the title, the recipient, the role, the event, dates and hours,
the organiser, a signature line, the register number, the verification code
and a QR code holding the code. Everything printed comes from the register
entry (CertificateRecord), never from the live records, so a reprint says
exactly what the first print said.

Writers: one PDF with a page per certificate, one file per certificate in a
folder, or a ZIP of the files. Each target is written beside itself and moved
into place; a cancelled or failed run leaves no partial files behind.
"""
from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph

from app.domain.wording import event_name
from app.export.atomic_file import VIEWER, write_atomically
from app.domain.validators import format_date
from app.export.pdf_common import FONT, FONT_BOLD, esc, register_fonts
from app.services.events.certificates import CertificateRecord
from app.services.common.errors import ServiceError

TITLE = "Сертификат участника"
PAGE = landscape(A4)
NAVY = colors.HexColor("#1F3A5F")
GOLD = colors.HexColor("#A8834A")
INK = colors.HexColor("#1E2430")
MUTED = colors.HexColor("#5A6272")

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]

# How the role reads after «принял(а) участие»; the register keeps the nominative label.
_ROLE_PHRASES = {
    "Участник": "в качестве участника",
    "Выступающий": "в качестве выступающего",
    "Организатор": "в качестве организатора",
    "Эксперт": "в качестве эксперта",
    "Член жюри": "в качестве члена жюри",
}
_RESULT_PHRASES = {"Победитель": "победителем", "Призёр": "призёром"}


class CertificatesCancelled(Exception):
    """The user cancelled writing; nothing was left on disk."""


# -- one page ---------------------------------------------------------------------------------------

def participation_phrase(record: CertificateRecord) -> str:
    """«принял(а) участие в качестве выступающего», «стал(а) победителем», «приняла участие» (organisation)."""
    organisation = record.teacher_id is None
    if record.role in _RESULT_PHRASES:
        verb = "стала" if organisation else "стал(а)"
        return f"{verb} {_RESULT_PHRASES[record.role]}"
    verb = "приняла участие" if organisation else "принял(а) участие"
    phrase = _ROLE_PHRASES.get(record.role, f"(роль: {record.role.lower()})" if record.role else "")
    return f"{verb} {phrase}".strip()


def _style(name: str, size: float, *, bold: bool = False, color=INK, leading: float | None = None) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, fontSize=size,
                          leading=leading or size * 1.25, alignment=TA_CENTER, textColor=color)


def _centered(c: rl_canvas.Canvas, markup: str, top: float, width: float, size: float, *, bold: bool = False,
              color=INK, max_lines: int = 3, min_size: float = 8) -> float:
    """Draws a centred paragraph whose top is at ``top``; shrinks the font until it fits ``max_lines``.

    Returns the y of its bottom.
    """
    while True:
        style = _style("p", size, bold=bold, color=color)
        p = Paragraph(markup, style)
        _w, h = p.wrap(width, PAGE[1])
        if h <= style.leading * max_lines + 0.1 or size <= min_size:
            break
        size -= 0.5
    p.drawOn(c, (PAGE[0] - width) / 2, top - h)
    return top - h


def _fitted_size(text: str, font: str, size: float, width: float, min_size: float = 12) -> float:
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _frame(c: rl_canvas.Canvas) -> None:
    w, h = PAGE
    c.setStrokeColor(NAVY)
    c.setLineWidth(2.2)
    c.rect(9 * mm, 9 * mm, w - 18 * mm, h - 18 * mm)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.7)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    # Small diamonds in the corners of the inner frame.
    c.setFillColor(GOLD)
    for x, y in ((12 * mm, 12 * mm), (w - 12 * mm, 12 * mm), (12 * mm, h - 12 * mm), (w - 12 * mm, h - 12 * mm)):
        path = c.beginPath()
        path.moveTo(x, y + 2.2 * mm)
        path.lineTo(x + 2.2 * mm, y)
        path.lineTo(x, y - 2.2 * mm)
        path.lineTo(x - 2.2 * mm, y)
        path.close()
        c.drawPath(path, stroke=0, fill=1)


def _qr(c: rl_canvas.Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code as filled rectangles on the canvas (with its quiet zone).

    Drawn directly from reportlab's encoder: rendering a graphics Drawing would
    reset the canvas to Helvetica and put an unembedded font into the file.
    """
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    quiet = 2
    box = size / (count + 2 * quiet)
    c.saveState()
    c.setFillColor(colors.black)
    for row, modules in enumerate(qr.modules):
        column = 0
        for dark, run in itertools.groupby(bool(m) for m in modules):
            length = len(list(run))
            if dark:
                c.rect(x + (column + quiet) * box, y + size - (row + quiet + 1) * box, length * box, box,
                       stroke=0, fill=1)
            column += length
    c.restoreState()


def draw_certificate(c: rl_canvas.Canvas, r: CertificateRecord) -> None:
    """One certificate on the current page of ``c``."""
    w, h = PAGE
    text_width = w - 60 * mm
    _frame(c)

    y = _centered(c, esc(r.organizer), h - 22 * mm, text_width, 10, color=MUTED, max_lines=2)

    c.setFillColor(NAVY)
    c.setFont(FONT_BOLD, 40)
    c.drawCentredString(w / 2, min(y - 20 * mm, h - 48 * mm), "СЕРТИФИКАТ")
    title_y = min(y - 20 * mm, h - 48 * mm)
    c.setFillColor(GOLD)
    c.setFont(FONT, 15)
    c.drawCentredString(w / 2, title_y - 10 * mm, "УЧАСТНИКА", charSpace=4)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.6)
    c.line(w / 2 - 55 * mm, title_y - 14.5 * mm, w / 2 + 55 * mm, title_y - 14.5 * mm)

    c.setFillColor(MUTED)
    c.setFont(FONT, 12)
    c.drawCentredString(w / 2, title_y - 24 * mm, "настоящим подтверждается, что")

    name_size = _fitted_size(r.recipient_name, FONT_BOLD, 26, text_width, min_size=15)
    if stringWidth(r.recipient_name, FONT_BOLD, name_size) <= text_width:
        c.setFillColor(NAVY)
        c.setFont(FONT_BOLD, name_size)
        c.drawCentredString(w / 2, title_y - 39 * mm, r.recipient_name)
        y = title_y - 43 * mm
    else:
        # An organisation's full name: wrapped rather than shrunk to nothing.
        y = _centered(c, esc(r.recipient_name), title_y - 31 * mm, text_width, 16, bold=True, color=NAVY,
                      max_lines=3, min_size=11) - 2 * mm
    if r.organization_name:
        y = _centered(c, esc(r.organization_name), y, text_width, 11, color=MUTED, max_lines=2)

    y = _centered(c, esc(participation_phrase(r)) + " в мероприятии", y - 8 * mm, text_width, 12.5)
    event = event_name(r.event_kind, r.event_title)
    y = _centered(c, esc(event), y - 3 * mm, text_width, 16, bold=True, max_lines=3, min_size=10)
    details = f"Даты проведения: {r.dates_text}"
    if r.hours_text:
        details += f"  ·  Объём: {r.hours_text}"
    _centered(c, esc(details), y - 6 * mm, text_width, 11.5, color=INK, max_lines=1)

    _footer(c, r)


def _footer(c: rl_canvas.Canvas, r: CertificateRecord) -> None:
    w = PAGE[0]
    left = 24 * mm
    qr_size = 30 * mm
    qr_x = w - 24 * mm - qr_size
    base = 22 * mm
    _qr(c, r.code, qr_x, base - 2 * mm, qr_size)
    c.setFillColor(MUTED)
    c.setFont(FONT, 7.5)
    c.drawCentredString(qr_x + qr_size / 2, base - 5 * mm, "код проверки в QR-коде")

    c.setFont(FONT, 9.5)
    c.setFillColor(MUTED)
    c.drawString(left, base + 17 * mm, "Номер в реестре")
    c.drawString(left, base + 8.5 * mm, "Дата выдачи")
    c.drawString(left, base, "Код проверки")
    c.setFillColor(INK)
    c.setFont(FONT_BOLD, 11)
    c.drawString(left + 36 * mm, base + 17 * mm, r.number)
    c.setFont(FONT, 11)
    c.drawString(left + 36 * mm, base + 8.5 * mm, format_date(r.issued_on))
    c.setFont(FONT_BOLD, 11)
    c.drawString(left + 36 * mm, base, r.code)
    c.setFont(FONT, 7.5)
    c.setFillColor(MUTED)
    c.drawString(left, base - 5 * mm, "Подлинность проверяется по коду в реестре методической службы "
                                      "(«Проверить сертификат» в МетодСети).")

    # The signature block between the register data and the QR code.
    sign_left = 130 * mm
    sign_right = qr_x - 10 * mm
    c.setFillColor(INK)
    c.setFont(FONT, 11)
    c.drawString(sign_left, base + 12 * mm, "Руководитель")
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    line_left = sign_left + 27 * mm
    line_right = sign_right - 32 * mm
    c.line(line_left, base + 11 * mm, line_right, base + 11 * mm)
    c.setFont(FONT, 7)
    c.setFillColor(MUTED)
    c.drawCentredString((line_left + line_right) / 2, base + 7.5 * mm, "(подпись)")
    c.drawString(sign_left, base + 2 * mm, "М. П.")
    c.setFillColor(INK)
    c.setFont(FONT, 11)
    signer = f"/{r.signer_name}/" if r.signer_name else "/________________/"
    c.drawString(line_right + 2 * mm, base + 12 * mm, signer)


# -- documents --------------------------------------------------------------------------------------

def certificate_bytes(records: Sequence[CertificateRecord]) -> bytes:
    """One PDF, a page per certificate (fonts embedded)."""
    if not records:
        raise ServiceError("Нет сертификатов для печати: отметьте присутствие участников и выдайте сертификаты.")
    register_fonts()
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=PAGE, initialFontName=FONT, initialFontSize=10, pageCompression=1)
    c.setTitle(TITLE if len(records) > 1 else f"{TITLE} № {records[0].number}")
    c.setAuthor("МетодСеть")
    c.setCreator("МетодСеть")
    c.setSubject(records[0].event_title)
    for record in records:
        draw_certificate(c, record)
        c.showPage()
    c.save()
    return buffer.getvalue()


def certificate_file_name(record: CertificateRecord) -> str:
    """«2026-000123 Петрова Анна Сергеевна.pdf» — safe on Windows (no reserved characters or names)."""
    return safe_file_name(f"{record.number} {record.recipient_name}") + ".pdf"


_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(text: str, max_length: int = 120) -> str:
    """A file name stem that Windows, macOS and Linux all accept; Cyrillic is kept."""
    name = " ".join(_FORBIDDEN.sub(" ", text).split())[:max_length].rstrip(" .")
    if not name:
        name = "Сертификат"
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name


def _unique_names(records: Sequence[CertificateRecord]) -> list[str]:
    names, seen = [], set()
    for r in records:
        name = certificate_file_name(r)
        stem, n = name[:-4], 2
        while name.casefold() in seen:
            name = f"{stem} ({n}).pdf"
            n += 1
        seen.add(name.casefold())
        names.append(name)
    return names


def _step(progress: ProgressFn | None, is_cancelled: CancelledFn | None, done: int, total: int,
          name: str) -> None:
    if is_cancelled is not None and is_cancelled():
        raise CertificatesCancelled()
    if progress is not None:
        progress(done / max(total, 1), f"Сертификат {done + 1} из {total}: {name}")


def _replace_atomically(target: Path, write: Callable[[Path], None]) -> Path:
    return write_atomically(target, lambda tmp: write(Path(tmp)), what="", hint=VIEWER)


def write_certificates_pdf(records: Sequence[CertificateRecord], path: str | os.PathLike) -> Path:
    """All certificates in one PDF, one page each."""
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    data = certificate_bytes(records)
    return _replace_atomically(target, lambda tmp: tmp.write_bytes(data))


def write_certificate_files(records: Sequence[CertificateRecord], folder: str | os.PathLike, *,
                            progress: ProgressFn | None = None,
                            is_cancelled: CancelledFn | None = None) -> list[Path]:
    """One PDF per certificate in ``folder``; on cancel or failure the files of this run are removed."""
    if not records:
        certificate_bytes(records)      # raises the «nothing to print» message
    folder = Path(folder)
    written: list[Path] = []
    try:
        for i, (record, name) in enumerate(zip(records, _unique_names(records))):
            _step(progress, is_cancelled, i, len(records), record.recipient_name)
            data = certificate_bytes([record])
            written.append(_replace_atomically(folder / name, lambda tmp, d=data: tmp.write_bytes(d)))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0, "Готово")
    return written


def write_certificates_zip(records: Sequence[CertificateRecord], path: str | os.PathLike, *,
                           progress: ProgressFn | None = None,
                           is_cancelled: CancelledFn | None = None) -> Path:
    """A ZIP with one PDF per certificate (UTF-8 names, which Windows Explorer shows in Cyrillic)."""
    if not records:
        certificate_bytes(records)
    target = Path(path)
    if target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for i, (record, name) in enumerate(zip(records, _unique_names(records))):
                _step(progress, is_cancelled, i, len(records), record.recipient_name)
                archive.writestr(name, certificate_bytes([record]))

    result = _replace_atomically(target, write)
    if progress is not None:
        progress(1.0, "Готово")
    return result


def suggested_zip_name(event_title: str) -> str:
    return safe_file_name(f"Сертификаты — {event_title}", 100) + ".zip"


def suggested_pdf_name(event_title: str) -> str:
    return safe_file_name(f"Сертификаты — {event_title}", 100) + ".pdf"


__all__: Iterable[str] = (
    "CertificatesCancelled", "certificate_bytes", "certificate_file_name", "draw_certificate",
    "participation_phrase", "safe_file_name", "suggested_pdf_name", "suggested_zip_name",
    "write_certificate_files", "write_certificates_pdf", "write_certificates_zip",
)
