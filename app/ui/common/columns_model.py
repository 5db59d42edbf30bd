"""What every table model of rows under labelled columns shares: the counts and the header.

A subclass holds ``columns`` (anything with a ``label``) and says how many rows
it has; the cells are its own.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
# Longer labels are set on two lines, so that «Последнее повышение квалификации» needs half the width.
ONE_LINE_LABEL = 18


def header_lines(label: str) -> str:
    """A long column label broken at the space nearest its middle; short ones as they are."""
    if len(label) <= ONE_LINE_LABEL or " " not in label:
        return label
    middle = len(label) / 2
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{label[:cut]}\n{label[cut + 1:]}"


class ColumnsTableModel(QAbstractTableModel):
    columns: list | tuple = ()

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return header_lines(self.columns[section].label)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].label
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None
