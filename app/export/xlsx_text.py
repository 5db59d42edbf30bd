"""Stored text leaves the program as text: never as a live spreadsheet formula.

A name typed or imported as ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would be
written by openpyxl as a formula and run by Excel when the file is opened
(CSV/formula injection, OWASP). Such text is written as a string cell with the
quote prefix, so Excel shows it as typed and keeps it text when edited. Numbers
and dates are untouched. Control characters (pasted from elsewhere, received in
a package before they were cleaned on input), which the xlsx format cannot hold
and openpyxl refuses, become spaces.
"""
from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# What Excel, LibreOffice and Google Sheets take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def printable(value: Any) -> Any:
    """The value with the control characters an xlsx cell cannot hold replaced by spaces."""
    return ILLEGAL_CHARACTERS_RE.sub(" ", value) if isinstance(value, str) else value


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_as_text(cell) -> None:
    """Makes a cell that holds formula-like text a plain string cell."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def text_value(ws, value: Any) -> Any:
    """For a write-only sheet's ``append``: the printable value, or a text cell if it looks like a formula."""
    value = printable(value)
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
