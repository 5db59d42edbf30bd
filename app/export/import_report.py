"""The import report as an .xlsx: the summary and every rejected row with its reason.

Written to a temporary file beside the target and moved into place, so an
interrupted write never leaves a half-written report under the user's name.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.export.xlsx_text import keep_sheet_as_text, printable
from app.export.atomic_file import EXCEL, write_atomically
from app.services.importing.spreadsheet_import import KIND_TITLES, ImportResult

SUMMARY_SHEET = "Итоги импорта"
REJECTED_SHEET = "Отклонённые строки"
REJECTED_HEADER = ("Лист", "Строка", "Столбец", "Причина")
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_report(result: ImportResult, path: str | os.PathLike) -> Path:
    """Saves the report of ``result`` to ``path`` (.xlsx); returns the path."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(target.suffix + ".xlsx") if target.suffix else target.with_suffix(".xlsx")
    wb = Workbook()
    _summary(wb.active, result)
    _rejected(wb.create_sheet(REJECTED_SHEET), result)
    for ws in wb.worksheets:
        keep_sheet_as_text(ws)
    return write_atomically(target, wb.save, what="отчёт", hint=EXCEL)


def _summary(ws, result: ImportResult) -> None:
    ws.title = SUMMARY_SHEET
    ws["A1"] = f"Итоги импорта {KIND_TITLES.get(result.kind, '')}"
    ws["A1"].font = Font(bold=True, size=13)
    rows = [
        ("Файл", Path(result.path).name),
        ("Лист", result.sheet),
        ("Дата и время", datetime.now().strftime("%d.%m.%Y %H:%M")),
        ("Режим", "всё или ничего" if result.all_or_nothing else "импорт правильных строк"),
        ("Результат", result.outcome()),
        ("Создано", result.created),
        ("Обновлено", result.updated),
        ("Без изменений", result.unchanged),
        ("Отклонено строк", result.rejected_rows),
        ("Пропущено строк (подзаголовки, подписи)", len(result.skipped)),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        ws.cell(i, 1, label).font = _BOLD
        ws.cell(i, 2, printable(value))
    row = 3 + len(rows) + 1
    if result.created_organizations:
        title = "Созданы организации" if result.committed else "Были бы созданы организации"
        ws.cell(row, 1, f"{title} ({len(result.created_organizations)})").font = _BOLD
        for j, name in enumerate(result.created_organizations, start=row + 1):
            ws.cell(j, 2, printable(name))
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 80
    for cells in ws.iter_rows(min_row=3, max_col=2):
        for c in cells:
            c.alignment = _WRAP


def _rejected(ws, result: ImportResult) -> None:
    ws.append(REJECTED_HEADER)
    for c in ws[1]:
        c.font = _BOLD
        c.fill = _HEADER_FILL
    for r in sorted(result.rejected, key=lambda r: (r.sheet, r.row_number)):
        ws.append([printable(v) for v in (r.sheet, r.row_number, r.column, r.reason)])
    ws.freeze_panes = "A2"
    last = max(ws.max_row, 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REJECTED_HEADER))}{last}"
    for letter, width in zip("ABCD", (18, 9, 32, 90)):
        ws.column_dimensions[letter].width = width
    for cells in ws.iter_rows(min_row=2, min_col=3, max_col=4):
        for c in cells:
            c.alignment = _WRAP
