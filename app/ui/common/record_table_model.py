"""A table of any entity's records that holds only ids and reads rows on demand.

Keeping the id list (cheap even for 100,000 teachers) and building rows
block by block as the view asks for them opens big lists at once; a search
or a sort is a new id query, not a sort of rows in memory.
"""
from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.common.fields import FLOAT, INT
from app.services.registry.service import RecordService
from app.ui.common.highlights import Highlight, highlight_for
from app.ui.common.record_text import record_label
from app.ui.common.task_runner import Task
from app.ui.common.columns_model import ColumnsTableModel

log = logging.getLogger(__name__)

BLOCK_SIZE = 200
# Blocks kept in memory: enough for several screens of scrolling back and forth.
MAX_CACHED_BLOCKS = 25
# Rows a (re)load shows at once; a broad search reads the rest in the background.
FIRST_SCREEN = 300

# Background reads outlive no one: a Task is kept here until its thread ends,
# so closing a page mid-read never destroys a running thread.
_RUNNING: set[Task] = set()

ID_ROLE = Qt.ItemDataRole.UserRole
# Long values are cut off in the cell; from this length the tooltip shows them whole.
TOOLTIP_MIN_LENGTH = 40

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    values: dict[str, Any]          # as RecordService.rows returns it: codes, dates
    texts: list[str]                # as the user reads it, one per column
    highlight: Highlight | None


_EMPTY_ROW_VALUES: dict[str, Any] = {}


class RecordTableModel(ColumnsTableModel):
    loaded = Signal(int)             # number of matching records after a (re)load
    load_failed = Signal(str)        # Russian message

    def __init__(self, service: RecordService, entity: str, parent=None, *, deleted: bool = False,
                 today: Callable[[], date] = date.today):
        super().__init__(parent)
        self._service = service
        self.entity = entity
        self.deleted = deleted          # True: the recycle bin of the entity
        self.today = today
        self.columns = service.columns(entity)
        spec = spec_for(entity)
        # Derived columns (computed by a rule) have no field of their own.
        self._numeric = [spec.has_field(c.field) and spec.field(c.field).kind in (INT, FLOAT) for c in self.columns]
        self._ids: list[str] = []
        self._blocks: OrderedDict[int, list[_Row]] = OrderedDict()
        self._search = ""
        self._filters: dict[str, str] = {}
        self._sort_column = -1
        self._descending = False
        self.is_loaded = False
        self.is_complete = False        # False while the rest of a broad search is being read
        self._generation = 0            # a background read of an older query is discarded

    # -- what the page drives --------------------------------------------
    @property
    def search_text(self) -> str:
        return self._search

    @property
    def filters(self) -> dict[str, str]:
        return dict(self._filters)

    def reload(self) -> bool:
        """Re-queries with the current search, filters and sort; False (and load_failed) on a refusal.

        The first screen of ids is read at once; when more records match than
        a quick answer can sort, the full list follows from a background read
        and ``loaded`` is emitted again with the exact count.
        """
        order = self._order()
        self._generation += 1
        error = None
        try:
            ids, total = self._service.first_ids(
                self.entity, limit=FIRST_SCREEN, search=self._search or None, order=order,
                descending=self._descending, deleted=self.deleted, filters=self._filters or None)
        except ServiceError as exc:
            ids, total, error = [], 0, str(exc)
        self.beginResetModel()
        self._ids = ids
        self._blocks.clear()
        self.is_loaded = True
        self.is_complete = total is not None
        self.endResetModel()
        if error is not None:
            self.load_failed.emit(error)
            return False
        if not self.is_complete:
            self._read_the_rest(self._generation, order)
        self.loaded.emit(len(ids))
        return True

    def wait_complete(self) -> None:
        """Reads the whole list now (a record must be found by id, e.g. after saving it)."""
        if self.is_loaded and not self.is_complete:
            self._apply_full(self._generation, self._full_ids(self._order()))

    def _order(self) -> str | None:
        return self.columns[self._sort_column].name if 0 <= self._sort_column < len(self.columns) else None

    def _full_ids(self, order: str | None) -> list[str]:
        return self._service.ids(self.entity, search=self._search or None, order=order,
                                 descending=self._descending, deleted=self.deleted,
                                 filters=self._filters or None)

    def _read_the_rest(self, generation: int, order: str | None) -> None:
        task = Task(lambda _progress, _cancelled: self._full_ids(order))
        _RUNNING.add(task)
        task.succeeded.connect(lambda ids: self._apply_full(generation, ids))
        task.failed.connect(lambda exc: self.load_failed.emit(f"Не удалось прочитать список: {exc}"))
        task.finished.connect(lambda: _RUNNING.discard(task))
        task.start()

    def _apply_full(self, generation: int, ids: list[str]) -> None:
        if generation != self._generation or self.is_complete:
            return
        shown = len(self._ids)
        self.is_complete = True
        if ids[:shown] != self._ids:
            # The records changed between the two reads: show the newer list whole.
            self.beginResetModel()
            self._ids = ids
            self._blocks.clear()
            self.endResetModel()
        elif len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        self.loaded.emit(len(ids))

    def set_search(self, text: str) -> bool:
        self._search = text.strip()
        return self.reload()

    def set_query(self, search: str, filters: dict[str, str] | None = None) -> bool:
        """Search text and filters together (both narrow the list), then one re-query."""
        self._search = search.strip()
        self._filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
        return self.reload()

    def record_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, record_id: str) -> int:
        """The row showing ``record_id``, or -1."""
        self.wait_complete()
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def row_values(self, row: int) -> dict[str, Any]:
        """The stored values behind a row (codes and dates, not texts)."""
        return self._row(row).values

    def record_label(self, row: int) -> str:
        """The name of the record in ``row``, for questions and titles."""
        return record_label(self.entity, self.row_values(row))

    def highlight(self, row: int) -> Highlight | None:
        return self._row(row).highlight

    def sort_state(self) -> tuple[int, bool]:
        return self._sort_column, self._descending

    # -- Qt model interface ----------------------------------------------
    def row_count(self) -> int:
        return len(self._ids)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._numeric[index.column()]:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in _ROW_ROLES:
            return None
        row = self._row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[index.column()]
        mark = row.highlight
        marked = mark is not None and mark.applies_to(self.columns[index.column()].name)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = row.texts[index.column()]
            long_text = text if len(text) > TOOLTIP_MIN_LENGTH else None
            if marked:
                return f"{mark.reason}\n\n{long_text}" if long_text else mark.reason
            return long_text
        if not marked:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(mark.background) if mark.background else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(mark.foreground) if mark.foreground else None
        if role == Qt.ItemDataRole.FontRole and mark.bold:
            font = QFont()
            font.setBold(True)
            return font
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
    def _row(self, row: int) -> _Row:
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

    def _fetch_block(self, number: int) -> list[_Row]:
        ids = self._ids[number * BLOCK_SIZE:(number + 1) * BLOCK_SIZE]
        empty = _Row(_EMPTY_ROW_VALUES, [""] * len(self.columns), None)
        try:
            rows = self._service.rows(self.entity, ids)
        except Exception as exc:  # noqa: BLE001 - a paint must not raise; the page shows the message
            log.exception("reading %s rows failed", self.entity)
            self.load_failed.emit(f"Не удалось прочитать записи: {exc}")
            return [empty for _ in ids]
        today = self.today()
        out = []
        for i in ids:
            values = rows.get(i)
            # A record deleted since the ids were read shows as an empty line until the next reload.
            if values is None:
                out.append(empty)
                continue
            out.append(_Row(values, self._service.display_row(self.entity, values),
                            None if self.deleted else highlight_for(self.entity, values, today)))
        return out


_ROW_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
})
