"""Stored text leaves the program as text: never as a live spreadsheet formula.

A name typed or imported as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would be
written by openpyxl as a formula and run by Excel when the file is opened
(CSV/formula injection, OWASP). Such text is written as a string cell with the
quote prefix, so Excel shows it as typed and keeps it text when edited. Numbers
and dates are untouched.
"""
from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell

# What Excel, LibreOffice and Google Sheets take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell) -> None:
    """Makes a cell that holds formula-like text a plain string cell."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_value(ws, value: Any) -> Any:
    """For a write-only sheet's ``append``: the value itself, or a text cell if it looks like a formula."""
    if not looks_like_formula(value):
        return value
    cell = WriteOnlyCell(ws, value)
    keep_as_text(cell)
    return cell


def keep_sheet_as_text(ws) -> None:
    """For an ordinary sheet before saving: every formula-like text becomes a string cell.

    The program writes no formulas of its own, so every ``f`` cell came from data (and
    openpyxl makes a cell ``f`` only for text that starts with ``=``).
    """
    for row in ws.iter_rows():
        for cell in row:
            keep_as_text(cell)


def abandon(ws) -> None:
    """Closes a write-only sheet that will not be saved (cancel, failure).

    Left open, its row writer is finished by the garbage collector against a closed
    stream and prints a traceback at exit.
    """
    try:
        if not ws.closed:
            ws.close()
    except Exception:  # noqa: BLE001 - the sheet is thrown away either way
        pass
