"""A read-only table over a short list of row objects (the tables of a card).

Each column is a label and a function of the row; values are shown as the
user reads them (dates дд.мм.гггг, decimals with a comma).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.ui.common.record_text import value_text
from app.ui.common.columns_model import ColumnsTableModel

ROW_ROLE = Qt.ItemDataRole.UserRole
TOOLTIP_MIN_LENGTH = 20

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class CardColumn:
    label: str
    value: Callable[[Any], Any]
    numeric: bool = False
    stretch: bool = False           # takes the width the other columns leave (one per table)


class RowsTableModel(ColumnsTableModel):
    def __init__(self, columns: Sequence[CardColumn], rows: Sequence[Any] = (), parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        return value_text(self.columns[column].value(self._rows[row]))

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.text(index.row(), index.column())
            return text if len(text) > TOOLTIP_MIN_LENGTH else None
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return self._rows[index.row()]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
