"""Reading a saved report back with openpyxl: the rows under the header, and the «Итого» row."""
from __future__ import annotations

from dataclasses import dataclass

import openpyxl


@dataclass
class Sheet:
    ws: object
    header_row: int
    header: list
    rows: list[list]
    totals: list | None
    lines: list[str]


def read_xlsx(path, has_totals: bool = True) -> Sheet:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    # The header is the row the panes are frozen under.
    header_row = int(ws.freeze_panes[1:]) - 1
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header = values[header_row - 1]
    body = values[header_row:]
    totals = body.pop() if has_totals and body else None
    lines = [r[0] for r in values[1:header_row - 2] if r and r[0]]   # under the title
    return Sheet(ws, header_row, header, body, totals, lines)


def column(sheet: Sheet, label: str) -> list:
    i = sheet.header.index(label)
    return [r[i] for r in sheet.rows]
