"""The content of an individual route (ИОМ), edited inside the route's form.

Items are added and changed in a compact sub-dialog (route_item_dialog) and
kept in memory; RecordDialog writes the route and its added and changed items
in one RecordService.batch() on «Сохранить», and sends the removed ones to
the bin right after, as it does for a community's members (related_rows).
Nothing is written from here.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyledItemDelegate, QTableView,
    QVBoxLayout, QWidget,
)

from app.domain import enums as E
from app.domain import rules
from app.services.development import pd_settings
from app.services.registry.specs import spec_for
from app.services.common.fields import display
from app.services.registry.service import RecordService, ref_key
from app.ui.common.column_fitting import keep_stretch_readable
from app.ui.common.related_rows import ROW_ROLE, RelatedChanges
from app.ui.common.table_selection import selected_row
from app.ui.registry.teacher_card_tables import SHORT_KINDS
from app.ui.development.route_item_dialog import RouteItemDialog
from app.ui.development.route_values import (
    ENTITY, OWNER_FIELD, ROUTE_KIND, ITEM_FIELDS, REF_FIELDS, HEADERS, HEADER_LINES, NUMERIC_COLUMNS, KIND_COLUMN, TITLE_COLUMN, KIND_WIDTH, period_text, number_text, as_float, item_credits, items_word, RouteItem,
)

_Index = QModelIndex | QPersistentModelIndex

class RouteItemsModel(QAbstractTableModel):
    """The items of one route, read-only in the table; changed through the sub-dialog."""

    changed = Signal()

    def __init__(self, hours_per_credit: int = rules.HOURS_PER_CREDIT_DEFAULT, parent=None):
        super().__init__(parent)
        self.spec = spec_for(ENTITY)
        self.hours_per_credit = hours_per_credit
        self._rows: list[RouteItem] = []
        self._original: dict[str, dict[str, Any]] = {}

    # -- content -----------------------------------------------------------
    def load(self, rows: list[dict[str, Any]]) -> None:
        """The saved items as RecordService.list returns them."""
        self.beginResetModel()
        rows = sorted(rows, key=lambda r: (r.get("planned_start") or r.get("planned_end")
                                           or r.get("actual_start") or date.max))
        self._rows = [RouteItem(row["id"], {n: row.get(n) for n in ITEM_FIELDS},
                                {n: row.get(ref_key(n)) or "" for n in REF_FIELDS if row.get(n)})
                      for row in rows]
        self._original = {r.id: dict(r.values) for r in self._rows}
        self.endResetModel()
        self.changed.emit()

    def items(self) -> list[RouteItem]:
        return list(self._rows)

    def item(self, row: int) -> RouteItem:
        return self._rows[row]

    def add(self, values: dict[str, Any], labels: dict[str, str] | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(RouteItem(None, {n: values.get(n) for n in ITEM_FIELDS}, dict(labels or {})))
        self.endInsertRows()
        self.changed.emit()
        return row

    def replace(self, row: int, values: dict[str, Any], labels: dict[str, str] | None = None) -> None:
        if not 0 <= row < len(self._rows):
            return
        r = self._rows[row]
        r.values = {n: values.get(n) for n in ITEM_FIELDS}
        r.labels = dict(labels or {})
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        self.changed.emit()

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.changed.emit()

    def changes(self) -> RelatedChanges:
        creates, updates = [], []
        for r in self._rows:
            title = str(r.values.get("title") or "")
            if r.id is None:
                creates.append((title, {k: v for k, v in r.values.items() if v not in (None, "")}))
                continue
            before = self._original.get(r.id, {})
            diff = {k: v for k, v in r.values.items() if v != before.get(k)}
            if diff:
                updates.append((r.id, title, diff))
        kept = {r.id for r in self._rows}
        deletes = [i for i in self._original if i not in kept]
        return RelatedChanges(creates, updates, deletes)

    def summary(self) -> str:
        """«План: 5 элементов, 144 ч, 4 з.е.; выполнено: 2 элемента, 72 ч, 2 з.е.» (cancelled ones aside)."""
        planned = [r for r in self._rows if r.values.get("status") != E.ItemStatus.CANCELLED.value]
        done = [r for r in planned if r.values.get("status") == E.ItemStatus.COMPLETED.value]

        def part(rows: list[RouteItem]) -> str:
            hours = sum(as_float(r.values.get("hours")) or 0.0 for r in rows)
            credits = sum(item_credits(r.values, self.hours_per_credit) for r in rows)
            return f"{items_word(len(rows))}, {number_text(hours)} ч, {number_text(credits)} з.е."

        if not self._rows:
            return "В маршруте пока нет элементов."
        text = f"План: {part(planned)}; выполнено: {part(done)}"
        cancelled = len(self._rows) - len(planned)
        if cancelled:
            text += f" Отменено: {cancelled}."
        return text

    # -- Qt model ----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADER_LINES.get(section, HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            aligned = Qt.AlignmentFlag.AlignRight if section in NUMERIC_COLUMNS else Qt.AlignmentFlag.AlignLeft
            return int(aligned | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: int, column: int) -> str:
        v = self._rows[row].values
        f = self.spec.field
        if column == 0:
            return ""               # the number is painted by _NumberDelegate: it follows the row
        if column == 1:
            return display(f("kind"), v.get("kind")) if v.get("kind") else ""
        if column == 2:
            return str(v.get("title") or "")
        if column == 3:
            return display(f("formality"), v.get("formality")) if v.get("formality") else ""
        if column == 4:
            return period_text(v.get("planned_start"), v.get("planned_end"))
        if column == 5:
            return period_text(v.get("actual_start"), v.get("actual_end"))
        if column == 6:
            hours = as_float(v.get("hours"))
            return number_text(hours) if hours else ""
        if column == 7:
            credits = item_credits(v, self.hours_per_credit)
            return number_text(credits) if credits else ""
        if column == 8:
            return display(f("status"), v.get("status")) if v.get("status") else ""
        return ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole and index.column() == KIND_COLUMN:
            # «Программа ПК» in the narrow column; the tooltip has the full name.
            kind = self._rows[index.row()].values.get("kind")
            return SHORT_KINDS.get(kind) or self._text(index.row(), index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            aligned = (Qt.AlignmentFlag.AlignRight if index.column() in NUMERIC_COLUMNS
                       else Qt.AlignmentFlag.AlignLeft)
            return int(aligned | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return self._rows[index.row()].key
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


class _NumberDelegate(QStyledItemDelegate):
    """Column «№»: the row's place in the route, which moves with the rows above it."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt override
        super().initStyleOption(option, index)
        option.text = str(index.row() + 1)
        option.displayAlignment = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class RouteItemsEditor(QWidget):
    """«Содержание маршрута»: the items table, «Добавить», «Изменить», «Убрать» and the plan-vs-fact line."""

    changed = Signal()

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = ROUTE_KIND
        self._service = service
        try:
            per_credit = pd_settings(service.db).hours_per_credit
        except Exception:  # noqa: BLE001 - the default of the rules when settings cannot be read
            per_credit = rules.HOURS_PER_CREDIT_DEFAULT
        self.hours_per_credit = per_credit
        self.model = RouteItemsModel(per_credit, self)
        self.model.changed.connect(self.changed)
        self.model.changed.connect(self._update_summary)

        self.table = QTableView(self)
        self.table.setObjectName("routeItemsTable")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(0, _NumberDelegate(self.table))
        self.model.rowsRemoved.connect(lambda *_: self.table.viewport().update())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column in range(len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The kind («Программа повышения квалификации») is long; the title takes what is left.
        header.setSectionResizeMode(KIND_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(KIND_COLUMN, KIND_WIDTH)
        keep_stretch_readable(self.table, TITLE_COLUMN)
        self.table.setMinimumHeight(190)
        self.table.doubleClicked.connect(lambda index: self.edit_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.rowsInserted.connect(lambda *_: self._update_buttons())
        self.model.rowsRemoved.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        self.add_button = QPushButton("Добавить…", self)
        self.add_button.setObjectName("addRouteItem")
        self.add_button.setToolTip("Добавить элемент маршрута: программу, стажировку, мероприятие…")
        self.add_button.clicked.connect(self.add_item)
        self.edit_button = QPushButton("Изменить…", self)
        self.edit_button.setObjectName("editRouteItem")
        self.edit_button.clicked.connect(lambda: self.edit_row(self.selected_row()))
        self.remove_button = QPushButton("Убрать", self)
        self.remove_button.setObjectName("removeRouteItem")
        self.remove_button.setToolTip("Убрать выбранный элемент; маршрут изменится при сохранении формы")
        self.remove_button.clicked.connect(self.remove_selected)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("routeSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: bold;")
        self.notice = QLabel("Элементы сохраняются вместе с маршрутом. Изменить — двойной щелчок по строке.", self)
        self.notice.setObjectName("hintLabel")
        self.notice.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.notice)
        self._update_buttons()
        self._update_summary()

    def load(self, owner_id: str) -> None:
        # A route has a dozen items at most; each is read whole (the list holds only its columns).
        ids = self._service.ids(ENTITY, filters={OWNER_FIELD: owner_id})
        self.model.load([self._service.get(ENTITY, i) for i in ids])

    def changes(self) -> RelatedChanges:
        return self.model.changes()

    def summary_text(self) -> str:
        return self.summary_label.text()

    def selected_row(self) -> int:
        return selected_row(self.table)

    def _ask(self, values: dict[str, Any] | None, labels: dict[str, str] | None):
        return RouteItemDialog.ask(self, self._service, values, labels, self.hours_per_credit)

    @Slot()
    def add_item(self) -> int:
        """Opens the item sub-dialog; the new row's number, or -1 if cancelled."""
        answer = self._ask(None, None)
        if answer is None:
            return -1
        row = self.model.add(*answer)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return row

    def edit_row(self, row: int) -> bool:
        if not 0 <= row < self.model.rowCount():
            return False
        item = self.model.item(row)
        answer = self._ask(dict(item.values), dict(item.labels))
        if answer is None:
            return False
        self.model.replace(row, *answer)
        return True

    @Slot()
    def remove_selected(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self.model.remove(row)

    def _update_buttons(self) -> None:
        selected = self.selected_row() >= 0
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)

    def _update_summary(self) -> None:
        self.summary_label.setText(self.model.summary())
