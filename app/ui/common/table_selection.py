"""The row a table's user has picked, and picking one from code."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QTableView


def selected_row(table: QTableView) -> int:
    """The first selected row, else the current one, else -1."""
    rows = table.selectionModel().selectedRows() if table.selectionModel() is not None else []
    if rows:
        return rows[0].row()
    current = table.currentIndex()
    return current.row() if current.isValid() else -1


def select_row(table: QTableView, row: int) -> None:
    model = table.model()
    if not 0 <= row < model.rowCount():
        return
    index = model.index(row, 0)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)
