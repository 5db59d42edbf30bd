"""Rows a record owns, edited inside its form: the members of a community, the parties of an agreement.

The form collects additions, changes and removals here and writes them on
«Сохранить» together with the record itself (RecordDialog.save), so a new
community and its members are created in one transaction. Nothing is written
from this widget.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyledItemDelegate, QTableView,
    QVBoxLayout, QWidget,
)

from app.domain.validators import format_date, parse_date
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.common.fields import DATE, ENUM, display
from app.services.registry.service import RecordService, ref_key
from app.ui.common.field_editors import RefEditor
from app.ui.common.record_text import record_label
from app.ui.common.table_selection import selected_row

_Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class RelatedKind:
    """How one kind of owned rows is shown and edited in its owner's form."""
    title: str                          # the section title
    entity: str                         # the owned entity: "community_members"
    owner_field: str                    # its reference to the owner: "community_id"
    # (ref field, button text): one lookup and one «Добавить …» button each.
    lookups: tuple[tuple[str, str], ...]
    editable: tuple[str, ...]           # fields changed in the table (enum: a list; text, date: typed)
    defaults: dict[str, Any] = field(default_factory=dict)     # values of an added row ("today" for a date)
    hint: str = ""


RELATED: dict[str, RelatedKind] = {
    "communities": RelatedKind(
        "Участники", "community_members", "community_id",
        (("teacher_id", "Добавить педагога"), ("organization_id", "Добавить организацию")),
        ("role", "joined_on"), {"role": "member", "joined_on": "today"},
        "Роль и дату вступления можно изменить двойным щелчком по ячейке."),
    "agreements": RelatedKind(
        "Стороны договора", "agreement_parties", "agreement_id",
        (("organization_id", "Добавить организацию"),),
        ("party_role",), {},
        "Роль стороны (заказчик, исполнитель, партнёр…) вводится двойным щелчком по ячейке."),
    "materials": RelatedKind(
        "Авторы", "material_authors", "material_id", (("teacher_id", "Добавить автора"),), (), {},
        "Авторы — педагоги; найдите педагога по фамилии и нажмите «Добавить автора»."),
    "courses": RelatedKind(
        "Набор обучающихся по школам", "enrolments", "course_id", (("organization_id", "Добавить школу"),),
        ("pupils",), {},
        "Число обучающихся каждой школы вводится двойным щелчком по ячейке (только число, без списков "
        "детей). Курс проводится при наборе не менее 10 обучающихся."),
}


def related_kind(entity: str) -> RelatedKind | None:
    return RELATED.get(entity)


@dataclass
class RelatedRow:
    """One owned row as the form holds it; ``id`` is None until it is saved."""
    id: str | None
    values: dict[str, Any]              # the editable stored values (ids, codes, dates)
    labels: dict[str, str]              # ref field → the name shown
    key: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True)
class RelatedChanges:
    creates: list[tuple[str, dict[str, Any]]]           # (name shown, values without the owner id)
    updates: list[tuple[str, str, dict[str, Any]]]      # (id, name shown, changed values)
    deletes: list[str]                          # ids

    def __bool__(self) -> bool:
        return bool(self.creates or self.updates or self.deletes)


class RelatedRowsModel(QAbstractTableModel):
    """The owned rows of one record; the editable columns take edits from the view."""

    changed = Signal()

    def __init__(self, kind: RelatedKind, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.spec = spec_for(kind.entity)
        # Column 0: who or what (a teacher or an organisation); then the editable fields.
        self.ref_fields = [name for name, _text in kind.lookups]
        self.fields = list(kind.editable)
        self._rows: list[RelatedRow] = []
        self._original: dict[str, dict[str, Any]] = {}

    # -- content -----------------------------------------------------------
    def load(self, rows: list[dict[str, Any]]) -> None:
        """The saved rows as RecordService.list returns them; the form's starting point."""
        self.beginResetModel()
        self._rows = []
        for row in rows:
            values = {n: row.get(n) for n in self.ref_fields + self.fields}
            labels = {n: row.get(ref_key(n)) or "" for n in self.ref_fields}
            self._rows.append(RelatedRow(row["id"], values, labels))
        self._original = {r.id: dict(r.values) for r in self._rows}
        self.endResetModel()

    def rows(self) -> list[RelatedRow]:
        return list(self._rows)

    def contains(self, ref_field: str, record_id: str) -> bool:
        return any(r.values.get(ref_field) == record_id for r in self._rows)

    def add(self, ref_field: str, record_id: str, label: str) -> int:
        """Appends a row for the chosen record; its row number."""
        values: dict[str, Any] = {n: None for n in self.ref_fields + self.fields}
        values[ref_field] = record_id
        for name, default in self.kind.defaults.items():
            values[name] = date.today() if default == "today" else default
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(RelatedRow(None, values, {ref_field: label}))
        self.endInsertRows()
        self.changed.emit()
        return row

    def remove(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.changed.emit()

    def set_value(self, row: int, name: str, value: Any) -> bool:
        column = 1 + self.fields.index(name)
        return self.setData(self.index(row, column), value, Qt.ItemDataRole.EditRole)

    def changes(self) -> RelatedChanges:
        creates, updates = [], []
        for row, r in enumerate(self._rows):
            if r.id is None:
                creates.append((self.row_text(row), {k: v for k, v in r.values.items() if v not in (None, "")}))
                continue
            before = self._original.get(r.id, {})
            diff = {k: v for k, v in r.values.items() if v != before.get(k)}
            if diff:
                updates.append((r.id, self.row_text(row), diff))
        kept = {r.id for r in self._rows}
        deletes = [i for i in self._original if i not in kept]
        return RelatedChanges(creates, updates, deletes)

    def row_text(self, row: int) -> str:
        r = self._rows[row]
        return next((r.labels.get(n) or "" for n in self.ref_fields if r.values.get(n)), "")

    # -- Qt model ----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else 1 + len(self.fields)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return " / ".join(self.spec.field(n).label for n in self.ref_fields)
        if 0 < section <= len(self.fields):
            return self.spec.field(self.fields[section - 1]).label
        return None

    def _text(self, r: RelatedRow, column: int) -> str:
        if column == 0:
            for name in self.ref_fields:
                if r.values.get(name):
                    label = r.labels.get(name) or ""
                    if len(self.ref_fields) > 1:
                        return f"{label} ({self.spec.field(name).label.lower()})"
                    return label
            return ""
        name = self.fields[column - 1]
        value = r.values.get(name)
        if value in (None, ""):
            return ""
        f = self.spec.field(name)
        if f.kind == DATE and isinstance(value, date):
            return format_date(value)
        if f.kind == ENUM:
            return display(f, value)
        return str(value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= self.columnCount():
            return None
        r = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(r, index.column())
        if role == Qt.ItemDataRole.EditRole:
            if index.column() == 0:
                return self._text(r, 0)
            value = r.values.get(self.fields[index.column() - 1])
            if isinstance(value, date):
                return format_date(value)
            return "" if value is None else str(value)
        if role == ROW_ROLE:
            return r.key
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() == 0:
            return False
        if index.row() >= len(self._rows) or index.column() >= self.columnCount():
            return False
        name = self.fields[index.column() - 1]
        f = self.spec.field(name)
        text = "" if value is None else str(value).strip()
        if f.kind == DATE and text:
            try:
                stored: Any = parse_date(text)
            except ValueError:
                return False
        else:
            stored = text or None
        if f.max_length and isinstance(stored, str) and len(stored) > f.max_length:
            return False
        r = self._rows[index.row()]
        if r.values.get(name) == stored:
            return True
        r.values[name] = stored
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.changed.emit()
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if index.column() > 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class _EnumDelegate(QStyledItemDelegate):
    """A list of the Russian labels for the enum columns; the others are typed."""

    def __init__(self, model: RelatedRowsModel, parent=None):
        super().__init__(parent)
        self._model = model

    def _field(self, index: _Index):
        if index.column() == 0:
            return None
        return self._model.spec.field(self._model.fields[index.column() - 1])

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        f = self._field(index)
        if f is None or f.kind != ENUM:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for code, label in f.enum.choices():
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class RelatedRowsEditor(QWidget):
    """The table of owned rows with a lookup and «Добавить …» per kind of row, and «Убрать»."""

    changed = Signal()

    def __init__(self, service: RecordService, kind: RelatedKind, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self._service = service
        self.model = RelatedRowsModel(kind, self)
        self.model.changed.connect(self.changed)
        spec = spec_for(kind.entity)

        self.table = QTableView(self)
        self.table.setObjectName("relatedTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(_EnumDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(170)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.rowsInserted.connect(lambda *_: self._update_buttons())
        self.model.rowsRemoved.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

        self.lookups: dict[str, RefEditor] = {}
        self.add_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for name, text in kind.lookups:
            lookup = RefEditor(service, spec.field(name), self)
            lookup.setObjectName(f"lookup_{name}")
            target = spec.field(name).ref
            lookup.line.setPlaceholderText("Найти педагога: начните вводить фамилию…" if target == "teachers"
                                           else "Найти организацию: начните вводить название…")
            button = QPushButton(text, self)
            button.setObjectName(f"add_{name}")
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, n=name: self.add_chosen(n))
            lookup.changed.connect(lambda n=name: self._on_lookup_changed(n))
            lookup.line.returnPressed.connect(lambda n=name: self.add_chosen(n))
            row = QHBoxLayout()
            row.setSpacing(6)
            row.addWidget(lookup, 1)
            row.addWidget(button)
            layout.addLayout(row)
            self.lookups[name] = lookup
            self.add_buttons[name] = button
        # The lookups line up: every «Добавить …» button is as wide as the widest.
        width = max(b.sizeHint().width() for b in self.add_buttons.values())
        for button in self.add_buttons.values():
            button.setMinimumWidth(width)
        layout.addWidget(self.table, 1)
        self.remove_button = QPushButton("Убрать", self)
        self.remove_button.setObjectName("removeRelated")
        self.remove_button.setToolTip("Убрать выбранную строку; запись изменится при сохранении формы")
        self.remove_button.clicked.connect(self.remove_selected)
        self.notice = QLabel(self)
        self.notice.setObjectName("hintLabel")
        self.notice.setWordWrap(True)
        self.notice.setText(kind.hint)
        bottom = QHBoxLayout()
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(bottom)
        self._update_buttons()

    def load(self, owner_id: str) -> None:
        rows = self._service.list(self.kind.entity, filters={self.kind.owner_field: owner_id}).rows
        self.model.load(rows)

    def changes(self) -> RelatedChanges:
        return self.model.changes()

    def selected_row(self) -> int:
        return selected_row(self.table)

    @Slot()
    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        self.model.remove(row)
        self._say(self.kind.hint)

    def add_chosen(self, ref_field: str) -> bool:
        """Adds the record picked in the lookup of ``ref_field``; False when nothing new is picked."""
        lookup = self.lookups[ref_field]
        record_id = lookup.value()
        if not record_id:
            return False
        label = lookup.text()
        if self.model.contains(ref_field, record_id):
            self._say(f"«{label}» уже в списке.")
            return False
        row = self.model.add(ref_field, record_id, label)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        lookup.set_record(None)
        self._say(self.kind.hint)
        return True

    def add(self, ref_field: str, record_id: str) -> bool:
        """Adds a record by id, as picking it in the lookup and pressing «Добавить …» does."""
        target = spec_for(self.kind.entity).field(ref_field).ref
        try:
            label = record_label(target, self._service.get(target, record_id))
        except ServiceError as exc:
            self._say(str(exc))
            return False
        self.lookups[ref_field].set_record(record_id, label)
        return self.add_chosen(ref_field)

    def _say(self, text: str) -> None:
        self.notice.setText(text)

    def _on_lookup_changed(self, name: str) -> None:
        self.add_buttons[name].setEnabled(bool(self.lookups[name].value()))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected_row() >= 0)
