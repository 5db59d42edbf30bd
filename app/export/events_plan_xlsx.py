"""The year plan of events as an .xlsx: a title row, the column names, one row per event.

Written to a temporary file beside the target and moved into place.
"""
from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.export.xlsx_text import keep_sheet_as_text, printable
from app.export.atomic_file import EXCEL, write_atomically
from app.services.events.plan import PLAN_COLUMNS, PlanRow

HEADER_ROW = 3
_WIDTHS = (5, 48, 20, 14, 12, 12, 30, 28, 26, 26, 26, 7, 8, 14)


def write_plan(rows: list[PlanRow], year: int, path: str | os.PathLike, title: str = "") -> Path:
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = f"План {year}"
    ws["A1"] = title or f"План образовательных событий на {year} год"
    ws["A1"].font = Font(bold=True, size=13)
    for col, name in enumerate(PLAN_COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[col - 1]
    for i, row in enumerate(rows, HEADER_ROW + 1):
        for col, value in enumerate(row.cells(), 1):
            cell = ws.cell(i, col, printable(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col in (5, 6) and value is not None:
                cell.number_format = "DD.MM.YYYY"
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    keep_sheet_as_text(ws)
    return write_atomically(target, wb.save, what="план", hint=EXCEL)


def export_plan(db, year: int, path: str | os.PathLike) -> tuple[Path, int]:
    """Writes the year's plan; (the path written, how many events)."""
    from app.services.events.plan import plan_rows

    rows = plan_rows(db, year)
    return write_plan(rows, year, path), len(rows)
