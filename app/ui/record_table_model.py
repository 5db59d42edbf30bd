"""A table of any entity's records that holds only ids and reads rows on demand.

Keeping the id list (cheap even for 100,000 teachers) and building rows
block by block as the view asks for them opens big lists at once; a search
or a sort is a new id query, not a sort of rows in memory.
"""
from __future__ import annotations

import logging
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.services.entities import spec_for
from app.services.errors import ServiceError
from app.services.fields import FLOAT, INT
from app.services.records import RecordService

log = logging.getLogger(__name__)

BLOCK_SIZE = 200
# Blocks kept in memory: enough for several screens of scrolling back and forth.
MAX_CACHED_BLOCKS = 25

ID_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    loaded = Signal(int)             # number of matching records after a (re)load
    load_failed = Signal(str)        # Russian message

    def __init__(self, service: RecordService, entity: str, parent=None):
        super().__init__(parent)
        self._service = service
        self.entity = entity
        self.columns = service.columns(entity)
        spec = spec_for(entity)
        # Derived columns (computed by a rule) have no field of their own.
        self._numeric = [spec.has_field(c.field) and spec.field(c.field).kind in (INT, FLOAT) for c in self.columns]
        self._ids: list[str] = []
        self._blocks: OrderedDict[int, list[list[str]]] = OrderedDict()
        self._search = ""
        self._sort_column = -1
        self._descending = False
        self.is_loaded = False

    # -- what the page drives --------------------------------------------
    @property
    def search_text(self) -> str:
        return self._search

    def reload(self) -> bool:
        """Re-queries the ids with the current search and sort; False (and load_failed) on a refusal."""
        order = self.columns[self._sort_column].name if 0 <= self._sort_column < len(self.columns) else None
        error = None
        try:
            ids = self._service.ids(self.entity, search=self._search or None, order=order,
                                    descending=self._descending)
        except ServiceError as exc:
            ids, error = [], str(exc)
        self.beginResetModel()
        self._ids = ids
        self._blocks.clear()
        self.is_loaded = True
        self.endResetModel()
        if error is not None:
            self.load_failed.emit(error)
            return False
        self.loaded.emit(len(ids))
        return True

    def set_search(self, text: str) -> bool:
        self._search = text.strip()
        return self.reload()

    def record_id(self, row: int) -> str:
        return self._ids[row]

    def sort_state(self) -> tuple[int, bool]:
        return self._sort_column, self._descending

    # -- Qt model interface ----------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.columns[section].label
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._display_row(index.row())[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                # Only long values are cut off in the cell; short ones need no tooltip.
                return text if len(text) > 40 else None
            return text
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and self._numeric[index.column()]:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # column -1 is the view's "no sort indicator": back to the entity's natural order.
        self._sort_column = column if 0 <= column < len(self.columns) else -1
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self.is_loaded:
            self.reload()

    # -- lazy rows -------------------------------------------------------
    def _display_row(self, row: int) -> list[str]:
        number = row // BLOCK_SIZE
        block = self._blocks.get(number)
        if block is None:
            block = self._fetch_block(number)
            self._blocks[number] = block
            while len(self._blocks) > MAX_CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block[row - number * BLOCK_SIZE]

    def _fetch_block(self, number: int) -> list[list[str]]:
        ids = self._ids[number * BLOCK_SIZE:(number + 1) * BLOCK_SIZE]
        empty = [""] * len(self.columns)
        try:
            rows = self._service.rows(self.entity, ids)
        except Exception as exc:  # noqa: BLE001 - a paint must not raise; the page shows the message
            log.exception("reading %s rows failed", self.entity)
            self.load_failed.emit(f"Не удалось прочитать записи: {exc}")
            return [empty for _ in ids]
        # A record deleted since the ids were read shows as an empty line until the next reload.
        return [self._service.display_row(self.entity, rows[i]) if i in rows else empty for i in ids]
