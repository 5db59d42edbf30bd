"""A report as a printable Excel sheet, streamed (openpyxl write-only mode).

Title, period, filters and the date of generation above a bold header row;
the header is frozen, filtered and repeated on every printed page; A4
landscape fitted to the page width. Each data cell reuses one pre-styled
cell per column (write-only mode serialises a row the moment it is
appended), so styling costs almost nothing per row. The file is written
beside the target and moved into place, so a cancelled or failed run never
leaves a half-written file under the user's name.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from app.export.xlsx_text import FORMULA_STARTS, abandon, keep_as_text, looks_like_formula, printable, text_value
from app.export.atomic_file import EXCEL, write_atomically
from app.services.reports.base import DATE, INT, NUMBER, PERCENT, TEXT, ReportCancelled, ReportRun

NUMBER_FORMATS = {INT: "#,##0", NUMBER: "#,##0.00", PERCENT: "0.0%", DATE: "DD.MM.YYYY"}
SHEET_NAME_MAX = 31
HEADER_LINE_HEIGHT = 15    # points per line of the wrapped header row
PAPERSIZE_A4 = "9"          # ECMA-376 paper size code
CHECK_EVERY = 2000          # rows between progress reports and cancel checks
_THIN = Side(style="thin", color="8A94A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="E4EAF2")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F4F7")


def sheet_title(name: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", name or "Отчёт").strip() or "Отчёт"
    return clean[:SHEET_NAME_MAX].rstrip()


def _cell(ws, value, *, font=None, fill=None, border=None, number_format=None, wrap=False):
    c = WriteOnlyCell(ws, printable(value))
    keep_as_text(c)
    if font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    if border is not None:
        c.border = border
    if number_format:
        c.number_format = number_format
    if wrap:
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    return c


def column_width(column) -> float:
    """The column's width, widened so that no word of its header has to break."""
    longest = max((len(w) for w in column.label.split()), default=0)
    return max(column.width, longest + 2)


def header_lines(label: str, width: float) -> int:
    """How many lines the wrapped header takes in a column ``width`` characters wide."""
    lines, used = 1, 0
    for word in label.split():
        if used and used + 1 + len(word) > width - 1:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def write_report_xlsx(run: ReportRun, path: str | os.PathLike, *,
                      progress: Callable[[float, str], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    return write_atomically(target, lambda tmp: _write(run, tmp, progress, cancelled), what="отчёт", hint=EXCEL)


class _ColumnCell(Cell):
    """A pre-styled cell whose style never changes: its style index is looked up once, not per value."""

    __slots__ = ("_style_index",)

    @property
    def style_id(self) -> int:
        return self._style_index

    @property
    def has_style(self) -> bool:
        return True


def _column_cell(ws, number_format: str) -> Cell:
    cell = _ColumnCell(ws, row=1, column=1)
    cell.number_format = number_format
    cell._style_index = Cell.style_id.fget(cell)
    return cell


def _use_column_cells(ws, templates: list) -> bool:
    """Rows are turned into cells by reusing one pre-styled cell per column.

    openpyxl's own path makes a new cell after every styled one and first tries
    to bind the Cell object itself as a value (an exception per styled cell):
    a third slower than plain values. Write-only mode serialises a row as soon
    as it is appended, so one cell per column can carry every row's value.
    Relies on the private ``_values_to_row`` of openpyxl 3.1 (pinned <3.2);
    where it is missing the ordinary path is used, correct but slower.
    """
    if not hasattr(ws, "_values_to_row"):
        return False
    plain = [WriteOnlyCell(ws)]

    def values_to_row(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = templates[col_idx - 1] if col_idx <= len(templates) else None
                if cell is None:
                    cell = plain[0]
                    if cell.has_style:          # a date or a number took a format: start clean
                        cell = plain[0] = WriteOnlyCell(ws)
                if value.__class__ is str and value.startswith(FORMULA_STARTS):
                    cell = WriteOnlyCell(ws, printable(value))    # its own cell: the style is its own
                    keep_as_text(cell)
                else:
                    try:
                        cell.value = value
                    except IllegalCharacterError:   # control characters pasted from elsewhere
                        cell.value = printable(value)
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row
    return True


def _write(run: ReportRun, tmp: str, progress, cancelled) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(run.report.sheet or run.report.title))
    try:
        _fill_and_save(run, wb, ws, tmp, progress, cancelled)
    except BaseException:
        abandon(ws)
        raise


def _fill_and_save(run: ReportRun, wb, ws, tmp: str, progress, cancelled) -> None:
    report, cols = run.report, run.columns
    lines = run.header_lines()
    header_row = len(lines) + 3            # title, the lines, one blank row, then the header

    # Write-only mode writes the sheet's head with the first row: everything about layout goes first.
    widths = [column_width(c) for c in cols]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[header_row].height = HEADER_LINE_HEIGHT * max(
        header_lines(c.label, w) for c, w in zip(cols, widths))
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.right.text = "Стр. &P из &N"
    ws.oddFooter.left.text = f"МетодСеть · {report.title}"

    ws.append([_cell(ws, report.title, font=Font(bold=True, size=14))])
    muted = Font(italic=True, color="5A6272")
    for line in lines:
        ws.append([_cell(ws, line, font=muted)])
    ws.append([])
    bold = Font(bold=True)
    ws.append([_cell(ws, c.label, font=bold, fill=_HEADER_FILL, border=_BORDER, wrap=True) for c in cols])

    try:
        _write_body(run, wb, ws, header_row, progress, cancelled)
    except BaseException:
        # Finish the sheet's temporary file now: left to the garbage collector, the
        # half-written sheet would complain about a closed file long after.
        try:
            ws.close()
        except Exception:  # noqa: BLE001 - the original error is what matters
            pass
        raise
    if progress is not None:
        progress(0.95, "Сохранение файла…")
    wb.save(tmp)
    if progress is not None:
        progress(1.0, "Готово")


def _write_body(run: ReportRun, wb, ws, header_row: int, progress, cancelled) -> None:
    report, cols = run.report, run.columns
    bold = Font(bold=True)
    last_col = get_column_letter(len(cols))
    templates = [_column_cell(ws, NUMBER_FORMATS[c.kind]) if c.kind != TEXT else None for c in cols]
    fast = _use_column_cells(ws, templates)
    # The fast path cleans a cell only when openpyxl refuses it; the ordinary one must look first.
    text_cols = [] if fast else [i for i, c in enumerate(cols) if c.kind == TEXT]
    # Any text may arrive in a numeric column too (a report row is not typed), so the
    # ordinary path checks every string for a formula start.
    expected = report.expected_rows(run.db, run.params)
    n = 0
    for row in run.rows():
        for i in text_cols:
            v = row[i]
            if v.__class__ is str and ILLEGAL_CHARACTERS_RE.search(v):
                row = row[:i] + (printable(v),) + row[i + 1:]
        if not fast and any(looks_like_formula(v) for v in row):
            row = [text_value(ws, v) for v in row]
        ws.append(row)
        n += 1
        if n % CHECK_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            if progress is not None:
                fraction = min(0.95, n / expected) if expected else 1 - 1 / (1 + n / 20000)
                progress(0.9 * fraction, f"Записано строк: {n:,}".replace(",", "\u00a0"))
    if cancelled is not None and cancelled():
        raise ReportCancelled()

    totals = run.totals()
    if totals is not None:
        ws.append([_cell(ws, printable(v), font=bold, fill=_TOTAL_FILL, border=_BORDER,
                         number_format=NUMBER_FORMATS.get(c.kind)) for v, c in zip(totals, cols)])
    ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + max(n, 1)}"
