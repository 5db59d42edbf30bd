"""The tables of the import dialog: the preview of the sheet and the rows the import refused."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.importing.spreadsheet_import import ImportPlan, RejectedRow, target_label

_Index = QModelIndex | QPersistentModelIndex

SKIPPED_COLOR = QColor("#9aa5b1")
TOOLTIP_MIN_LENGTH = 30
# Title rows taken for the header make long column names; the tooltip has the whole.
MAX_HEADER_LABEL = 40


class ImportPreviewModel(QAbstractTableModel):
    """The first rows below the header as the file has them; columns the plan skips are greyed.

    Rows are headed by their sheet row numbers, columns by «C (СНИЛС)».
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._plan: ImportPlan | None = None
        self._columns: list[int] = []           # sheet columns (1-based), one per model column

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._columns = sorted(plan.headers) if plan is not None else []
        self.endResetModel()

    def mapping_changed(self) -> None:
        """The plan's mapping changed: the greying and the tooltips follow it."""
        if not self._columns:
            return
        last = len(self._columns) - 1
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, last),
                                  [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole])
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)

    # -- Qt model interface ------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if parent.isValid() or self._plan is None:
            return 0
        return len(self._plan.preview)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._plan is None:
            return None
        column = self._columns[index.column()]
        cells = self._plan.preview[index.row()].cells
        text = cells[column - 1] if column - 1 < len(cells) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if len(text) >= TOOLTIP_MIN_LENGTH else None
        if role == Qt.ItemDataRole.ForegroundRole and self._plan.mapping.get(column) is None:
            return SKIPPED_COLOR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._plan is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                label = self._plan.column_label(column)
                return label if len(label) <= MAX_HEADER_LABEL else label[:MAX_HEADER_LABEL - 1] + "…"
            if role == Qt.ItemDataRole.ToolTipRole:
                target = target_label(self._plan.kind, self._plan.mapping.get(column))
                return f"{self._plan.column_label(column)} → {target}"
            return None
        if not 0 <= section < len(self._plan.preview):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._plan.preview[section].number)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Строка {self._plan.preview[section].number} листа"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


COL_SHEET, COL_ROW, COL_COLUMN, COL_REASON = range(4)
REJECTED_HEADERS = ("Лист", "Строка", "Столбец", "Причина")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class RejectedRowsModel(QAbstractTableModel):
    """The rows the import refused, with the sheet row number and the reason; SORT_ROLE gives raw values."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[RejectedRow] = []

    def set_rows(self, rows: list[RejectedRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(REJECTED_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.sheet, str(r.row_number), r.column or "вся строка", r.reason)[col]
        if role == SORT_ROLE:
            if col == COL_ROW:
                return r.row_number
            return (r.sheet, "", r.column, r.reason)[col].casefold()
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_COLUMN, COL_REASON):
            return str(r)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ROW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(REJECTED_HEADERS):
            return REJECTED_HEADERS[section]
        return None

