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


def select_record(table: QTableView, record_id: str) -> bool:
    """Selects the row of a record in a table whose model knows ``row_of(record_id)``."""
    row = table.model().row_of(record_id)
    if row >= 0:
        select_row(table, row)
    return row >= 0
