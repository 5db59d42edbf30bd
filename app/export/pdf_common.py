"""What every PDF document of the application shares: Cyrillic fonts, styles, tables, page numbers, saving.

reportlab's built-in fonts have no Cyrillic, so the bundled DejaVu Sans TTFs
are registered and embedded (subset) in every document; the canvas starts in
DejaVu too, so no Helvetica reference ever reaches the file. Tables wrap
their cells in Paragraphs, widen a column to its longest word and repeat the
header row on every page. A document is written to a temporary file beside
the target and moved into place, so an interrupted write never leaves a
half-written file under the user's name.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape, unescape

from app.export.atomic_file import VIEWER, write_atomically
from app.resource_files import resource_path
from app.domain.validators import format_date
from app.services.common.errors import ServiceError

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 15 * mm
CELL_PADDING = 3          # points, left and right
HEADER_FILL = colors.HexColor("#E4EAF2")
GROUP_FILL = colors.HexColor("#F2F4F7")
GRID = colors.HexColor("#8A94A6")
MUTED = colors.HexColor("#5A6272")
SIGN_LINE = "________________"


def register_fonts() -> None:
    """Registers DejaVu Sans (regular and bold) once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = resource_path("fonts")
    try:
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    except Exception as exc:  # noqa: BLE001 - reportlab raises TTFError, IOError …
        raise ServiceError(f"Не найден шрифт с кириллицей в папке {fonts}: {exc}. "
                           "Переустановите программу.") from None
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


# -- styles -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    header: ParagraphStyle       # the small line above the title (municipality)
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle


def styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13)
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18,
                             alignment=TA_CENTER, spaceAfter=2 * mm),
        subtitle=ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14, alignment=TA_CENTER,
                                spaceAfter=4 * mm),
        header=ParagraphStyle("header", parent=base, fontSize=8.5, leading=11, alignment=TA_CENTER,
                              textColor=MUTED, spaceAfter=3 * mm),
        heading=ParagraphStyle("heading", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                               spaceBefore=4 * mm, spaceAfter=1.5 * mm),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        label=ParagraphStyle("label", parent=base, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=FONT_BOLD, alignment=TA_CENTER),
    )


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text: markup characters are escaped, line breaks kept."""
    return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)


def rich(markup: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of trusted markup (<b>, <br/>); escape user text with ``esc``."""
    return Paragraph(markup, style)


def esc(text: Any) -> str:
    return escape("" if text is None else str(text))


# -- numbers and dates ---------------------------------------------------------------------------

def fmt_number(x: float | int | None, decimals: int = 2) -> str:
    """Russian style: «72», «1,5», «0,44»; thousands with a no-break space."""
    if x is None:
        return ""
    text = f"{float(x):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(",", "\u00a0").replace(".", ",")


def fmt_date(d: date | None) -> str:
    return format_date(d) if d else ""


def fmt_period(start: date | None, end: date | None, sep: str = "–\n") -> str:
    if start and end:
        return f"{format_date(start)}{sep}{format_date(end)}" if start != end else format_date(start)
    return format_date(start or end)


# -- tables ----------------------------------------------------------------------------------------

# A table sets its cell font even around a Paragraph: without this every table references Helvetica.
_BREAKS = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
_BASE = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8)]


def _longest_word_width(cell: Any, default_style: ParagraphStyle) -> float:
    if isinstance(cell, Paragraph):
        # The source markup: getPlainText() glues the words on both sides of a <br/> into one.
        text, style = unescape(_TAGS.sub("", _BREAKS.sub(" ", cell.text))), cell.style
    else:
        text, style = ("" if cell is None else str(cell)), default_style
    # Only ordinary spaces break a line: a no-break space («№ 12») keeps its word whole.
    words = [w for w in re.split(r"[ \t\n\r]+", text) if w]
    if not words:
        return 0.0
    return max(pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in words)


def fit_widths(rows: Sequence[Sequence[Any]], widths: Sequence[float], flexible: int,
               style: ParagraphStyle) -> list[float]:
    """Widens every column to its longest word, taking the room from the ``flexible`` column."""
    out = list(widths)
    for c in range(len(out)):
        if c == flexible:
            continue
        need = max((_longest_word_width(r[c], style) for r in rows if c < len(r)), default=0) + 2 * CELL_PADDING + 1
        if need > out[c]:
            out[flexible] -= need - out[c]
            out[c] = need
    return out


def data_table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
               flexible: int, st: Styles, right: Sequence[int] = (), center: Sequence[int] = (),
               extra: Sequence[tuple] = (), bold_rows: Sequence[int] = ()) -> Table:
    """A grid table: the header row repeats on every page, cells wrap (Paragraphs).

    ``rows`` hold plain values or ready Paragraphs; ``right``/``center`` align
    columns; ``bold_rows`` (indexes into ``rows``) are set in bold and shaded.
    """
    bold = set(bold_rows)
    body = []
    for i, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if isinstance(value, Paragraph):
                cells.append(value)
                continue
            style = st.cell_right if c in right else st.cell_center if c in center else st.cell
            if i in bold:
                style = ParagraphStyle(f"{style.name}_b", parent=style, fontName=FONT_BOLD)
            cells.append(para(value, style))
        body.append(cells)
    data = [[para(h, st.cell_head) for h in header]] + body
    col_widths = fit_widths(data, widths, flexible, st.cell)
    table = Table(data, colWidths=col_widths, repeatRows=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, i + 1), (-1, i + 1), GROUP_FILL) for i in bold]
    table.setStyle(TableStyle(_BASE + commands + list(extra)))
    return table


def fields_table(pairs: Sequence[tuple[str, Any]], width: float, st: Styles, label_width: float = 55 * mm) -> Table:
    """«Label: value» lines of a document's heading (no grid)."""
    data = [[para(label, st.label), para(value if value not in (None, "") else "—", st.body)]
            for label, value in pairs]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.setStyle(TableStyle(_BASE + [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def signature_table(lines: Sequence[tuple[str, str]], width: float, st: Styles) -> Table:
    """Signature lines: «Role  ________________ /И. О. Фамилия/»; an empty name leaves a blank to fill in."""
    data = []
    centered = ParagraphStyle("sign", parent=st.body, alignment=TA_CENTER)
    caption = ParagraphStyle("sign_caption", parent=st.small, fontSize=7, leading=8, alignment=TA_CENTER)
    for role, name in lines:
        data.append([para(role, st.body), para(SIGN_LINE, centered),
                     para(f"/{name}/" if name else f"/{SIGN_LINE}/", centered), ""])
        data.append(["", para("(подпись)", caption), para("" if name else "(расшифровка подписи)", caption), ""])
    table = Table(data, colWidths=[45 * mm, 45 * mm, 55 * mm, max(0, width - 145 * mm)])
    table.hAlign = "LEFT"
    table.setStyle(TableStyle(_BASE + [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ] + [("TOPPADDING", (0, i), (-1, i), 10) for i in range(0, len(data), 2)]))
    return table


def spacer(height_mm: float) -> Spacer:
    return Spacer(1, height_mm * mm)


# -- pages and saving ------------------------------------------------------------------------------

def _numbered_canvas(footer_left: str):
    class NumberedCanvas(rl_canvas.Canvas):
        """Draws «Стр. N из M» on every page: pages are kept until the total is known."""

        def __init__(self, *args, **kwargs):
            # The document template passes None: a None would start every page in Helvetica.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, 9 * mm, f"Стр. {self._pageNumber} из {total}")
            if footer_left:
                self.drawString(MARGIN, 9 * mm, footer_left)
            self.restoreState()

    return NumberedCanvas


FRAME_PADDING = 6        # points: SimpleDocTemplate's frame pads each side


def page_width(wide: bool = False) -> float:
    """The width a flowable may take on an A4 page (landscape when ``wide``)."""
    size = landscape(A4) if wide else A4
    return size[0] - 2 * MARGIN - 2 * FRAME_PADDING


def write_pdf(path: str | os.PathLike, story: list, *, title: str, subject: str = "", wide: bool = False,
              footer_left: str = "") -> Path:
    """Builds the document (A4, landscape when ``wide``) beside the target and moves it into place."""
    register_fonts()
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    footer = footer_left or f"МетодСеть · {title} · сформировано {datetime.now().strftime('%d.%m.%Y %H:%M')}"
    def build(tmp: str) -> None:
        doc = SimpleDocTemplate(
            tmp, pagesize=landscape(A4) if wide else A4, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN, bottomMargin=MARGIN + 3 * mm, title=title, subject=subject,
            author="МетодСеть", creator="МетодСеть", initialFontName=FONT, initialFontSize=10)
        doc.build(story, canvasmaker=_numbered_canvas(footer))

    return write_atomically(target, build, what="документ", hint=VIEWER)


__all__ = [
    "FONT", "FONT_BOLD", "GROUP_FILL", "MARGIN", "Styles", "data_table", "esc", "fields_table", "fit_widths",
    "fmt_date", "fmt_number", "fmt_period", "page_width", "para", "register_fonts", "rich",
    "signature_table", "spacer", "styles", "write_pdf",
]
