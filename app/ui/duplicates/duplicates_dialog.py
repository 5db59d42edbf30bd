"""Probable duplicate teachers: the groups, merging two records field by field, and the merge log.

* ``DuplicatesDialog`` lists ``duplicate_groups`` member by member (a group's
  rows share a shade); two selected members go to ``MergeDialog``;
* ``MergeDialog`` shows ``merge_preview`` as one row per field with the value
  of record A and of record B and a choice of which survives, which record
  itself survives (A/B), what moves and the warnings; «Объединить» calls
  ``merge_teachers``;
* ``MergeLogDialog`` lists ``merge_log`` with «Отменить объединение».

Every dialog has a classmethod entry point; tests build the dialogs
directly and patch the entry points, never blocking on ``exec()``.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QRadioButton,
    QTableView, QVBoxLayout, QWidget,
)

from app.domain.validators import format_date
from app.services.common.actor import Actor
from app.services.duplicates import (
    KEEP, OTHER, DuplicateGroup, MergeLogEntry, MergePreview, MergeResult, duplicate_groups, merge_log,
    merge_preview, merge_teachers, undo_merge,
)
from app.services.registry.specs import SPECS
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common import messages
from app.ui.common.record_dialog import open_record
from app.ui.common.rows_table_model import CardColumn, RowsTableModel

_Index = QModelIndex | QPersistentModelIndex

A, B = "A", "B"
GROUP_SHADES = (QColor("#ffffff"), QColor("#f1f5f9"))
EQUAL_COLOR = QColor("#9aa5b1")
CHOSEN_BACKGROUND = QColor("#e6f4ea")
UNDONE_COLOR = QColor("#9aa5b1")
_WARNING_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a; "
                  "border-radius: 4px; padding: 6px 8px;")
_DONE_STYLE = ("color: #1e5e33; background: #e6f4ea; border: 1px solid #b7dfc3; "
               "border-radius: 4px; padding: 6px 8px;")


def format_count(n: int) -> str:
    """As pages.format_count (which imports this module): digits grouped with a no-break space."""
    return f"{n:,}".replace(",", "\u00a0")


def _table(model: QAbstractTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def table_titles() -> dict[str, str]:
    """Table name → the list's title («participation» → «Участие в мероприятиях»).

    The merge log counts moved rows by table; until MergeLogEntry carries the
    titles itself (as MergePreview.related does), they are looked up here.
    """
    specs = SPECS.values() if isinstance(SPECS, dict) else SPECS
    return {getattr(spec.model, "__tablename__", spec.name): spec.title for spec in specs}


def moved_text(counts: dict[str, int], titles: dict[str, str] | None = None) -> str:
    """{"participation": 2} → «Участие в мероприятиях: 2» (table names where no title is known)."""
    titles = {**table_titles(), **(titles or {})}
    parts = [f"{titles.get(table, table)}: {format_count(n)}" for table, n in sorted(counts.items()) if n]
    return "; ".join(parts) if parts else "нет"


# ---------------------------------------------------------------- duplicates list

class DuplicateMembersModel(RowsTableModel):
    """Members of the duplicate groups, one per row; rows of a group share a shade."""

    COLUMNS = (
        CardColumn("Группа", lambda m: m[0] + 1, numeric=True),
        CardColumn("ФИО", lambda m: m[2].fio),
        CardColumn("Дата рождения", lambda m: m[2].birth_date),
        CardColumn("СНИЛС", lambda m: m[2].snils),
        CardColumn("Организация", lambda m: m[2].organization),
        CardColumn("Причина", lambda m: "; ".join(m[1].reasons), stretch=True),
    )

    def __init__(self, parent: QObject | None = None):
        super().__init__(self.COLUMNS, (), parent)
        self.groups: list[DuplicateGroup] = []

    def set_groups(self, groups: list[DuplicateGroup]) -> None:
        self.groups = list(groups)
        self.set_rows([(g, group, member) for g, group in enumerate(self.groups) for member in group.members])

    def teacher_id(self, row: int) -> str:
        return self.row_object(row)[2].id

    def group_of(self, row: int) -> int:
        return self.row_object(row)[0]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.row() < self.rowCount():
            return QBrush(GROUP_SHADES[self.group_of(index.row()) % 2])
        return super().data(index, role)


class DuplicatesDialog(QDialog):
    """«Возможные дубликаты»: the groups; «Объединить…» for two selected members; «Журнал объединений»."""

    changed = Signal()          # teachers were merged or a merge undone

    def __init__(self, db, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.log_dialog: MergeLogDialog | None = None
        self.setObjectName("duplicatesDialog")
        self.setWindowTitle("Возможные дубликаты педагогов")
        self.model = DuplicateMembersModel(self)

        title = QLabel("Возможные дубликаты педагогов", self)
        title.setObjectName("dialogTitle")
        hint = QLabel("Записи, которые, вероятно, описывают одного человека. Выберите две записи одной группы "
                      "(Ctrl+щелчок) и нажмите «Объединить…»: вы увидите оба набора данных и выберете, что "
                      "сохранить. Объединение можно отменить в журнале.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("mergeStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(_DONE_STYLE)
        self.status_label.hide()
        self.table = _table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda index: self.open_card(index.row()))
        self.table.setToolTip("Двойной щелчок открывает карточку педагога")
        self.model.modelReset.connect(self._update_buttons)
        self.merge_button = QPushButton("Объединить…", self)
        self.merge_button.setToolTip("Объединить две выбранные записи")
        self.merge_button.clicked.connect(self.merge_selected)
        self.log_button = QPushButton("Журнал объединений", self)
        self.log_button.clicked.connect(self.open_log)
        self.refresh_button = QPushButton("Обновить", self)
        self.refresh_button.clicked.connect(self.reload)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addSpacing(12)
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        bottom = QHBoxLayout()
        bottom.addWidget(self.merge_button)
        bottom.addWidget(self.log_button)
        bottom.addWidget(self.refresh_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1080, 600)

    @classmethod
    def show_dialog(cls, parent: QWidget | None, db, actor: Actor) -> "DuplicatesDialog":
        """Opens the list window-modally (open(), not exec()) and returns it."""
        dialog = cls(db, actor, parent)
        dialog.reload()
        dialog.open()
        return dialog

    def reload(self) -> None:
        try:
            groups = duplicate_groups(self._db)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            groups = []
        self.model.set_groups(groups)
        self.count_label.setText(f"Групп: {format_count(len(groups))}, записей: {format_count(self.model.rowCount())}")
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            if self.table.columnWidth(column) > 300:
                self.table.setColumnWidth(column, 300)

    def group_count(self) -> int:
        return len(self.model.groups)

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [self.model.teacher_id(r) for r in rows]

    def select_ids(self, ids: list[str]) -> None:
        """Selects the rows of these teachers (tests and «выбрать группу»)."""
        selection = self.table.selectionModel()
        selection.clear()
        for row in range(self.model.rowCount()):
            if self.model.teacher_id(row) in ids:
                selection.select(self.model.index(row, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def _update_buttons(self) -> None:
        self.merge_button.setEnabled(len(self.table.selectionModel().selectedRows()) == 2)

    def open_card(self, row: int) -> bool:
        """The teacher's card; the list re-reads if the record was changed there."""
        if not 0 <= row < self.model.rowCount():
            return False
        changed = open_record(self, RecordService(self._db, self._actor), "teachers", self.model.teacher_id(row))
        if changed:
            self.reload()
            self.changed.emit()
        return changed

    @Slot()
    def merge_selected(self) -> MergeResult | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            messages.show_error(self, "Выберите ровно две записи для объединения (Ctrl+щелчок).")
            return None
        dialog_result = MergeDialog.ask(self, self._db, self._actor, ids[0], ids[1])
        if dialog_result is None:
            return None
        result, report = dialog_result
        self.status_label.setText(report)
        self.status_label.show()
        self.reload()
        self.changed.emit()
        return result

    @Slot()
    def open_log(self) -> "MergeLogDialog":
        if self.log_dialog is None:
            self.log_dialog = MergeLogDialog(self._db, self._actor, self)
            self.log_dialog.undone.connect(self._on_undone)
        self.log_dialog.reload()
        self.log_dialog.open()
        return self.log_dialog

    @Slot()
    def _on_undone(self) -> None:
        self.status_label.hide()
        self.reload()
        self.changed.emit()


# ---------------------------------------------------------------- merge

class MergeFieldsModel(QAbstractTableModel):
    """One row per field: label, the value in record A, in record B, and which of them survives.

    The chosen value is bold on a green shade; rows where A and B agree are grey
    and cannot be changed. ``ChoiceRole`` on any cell is "A" or "B".
    """

    ChoiceRole = Qt.ItemDataRole.UserRole + 1
    HEADERS = ("Поле", "Запись A", "Запись B", "Сохранить")
    COL_LABEL, COL_A, COL_B, COL_CHOICE = range(4)

    choice_changed = Signal(int)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str, bool]] = []     # name, label, a, b, differs
        self._choices: list[str] = []

    def set_fields(self, rows: list[tuple[str, str, str, str, bool]], choices: list[str]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._choices = list(choices)
        self.endResetModel()

    def names(self) -> list[str]:
        return [r[0] for r in self._rows]

    def row_of(self, name: str) -> int:
        return self.names().index(name)

    def differs(self, row: int) -> bool:
        return self._rows[row][4]

    def choice(self, row: int) -> str:
        return self._choices[row]

    def choices(self) -> dict[str, str]:
        return {r[0]: c for r, c in zip(self._rows, self._choices)}

    def set_choice(self, row: int, side: str) -> bool:
        if side not in (A, B) or not 0 <= row < len(self._rows) or self._choices[row] == side:
            return False
        self._choices[row] = side
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.choice_changed.emit(row)
        return True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.HEADERS):
            return None
        name, label, a, b, differs = self._rows[index.row()]
        column, chosen = index.column(), self._choices[index.row()]
        side = A if column == self.COL_A else B if column == self.COL_B else None
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_LABEL:
                return label
            if side is not None:
                return a if side == A else b
            return None         # the radio buttons stand in the choice column
        if role == Qt.ItemDataRole.ToolTipRole and side is not None:
            text = a if side == A else b
            return text if len(text) > 30 else None
        if role == self.ChoiceRole:
            return chosen
        if role == Qt.ItemDataRole.ForegroundRole and not differs:
            return QBrush(EQUAL_COLOR)
        if role == Qt.ItemDataRole.FontRole and differs and side == chosen:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and differs and side == chosen:
            return QBrush(CHOSEN_BACKGROUND)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        return flags | Qt.ItemFlag.ItemIsEnabled if self.differs(index.row()) else flags


class MergeDialog(QDialog):
    """Two teacher records side by side: choose per field, choose the survivor, «Объединить»."""

    def __init__(self, db, actor: Actor, a_id: str, b_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.a_id, self.b_id = a_id, b_id
        self.survivor = A
        self.preview: MergePreview | None = None
        self.result: MergeResult | None = None
        self.report = ""
        self._radios: list[QButtonGroup] = []
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Объединение записей педагогов")
        self.model = MergeFieldsModel(self)

        title = QLabel("Объединение записей педагогов", self)
        title.setObjectName("dialogTitle")
        self.records_label = QLabel(self)
        self.records_label.setWordWrap(True)
        self.records_label.setTextFormat(Qt.TextFormat.RichText)
        survivor_label = QLabel("Остаётся запись:", self)
        self.keep_a = QRadioButton("A", self)
        self.keep_b = QRadioButton("B", self)
        self.keep_a.setChecked(True)
        self._survivor_group = QButtonGroup(self)
        self._survivor_group.addButton(self.keep_a)
        self._survivor_group.addButton(self.keep_b)
        self.keep_a.toggled.connect(lambda on: on and self.set_survivor(A))
        self.keep_b.toggled.connect(lambda on: on and self.set_survivor(B))
        survivor_hint = QLabel("вторая уходит в корзину с пометкой об объединении; всё, что на неё ссылалось, "
                               "переходит к оставшейся.", self)
        survivor_hint.setObjectName("hintLabel")
        survivor_hint.setWordWrap(True)

        self.table = _table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.clicked.connect(self._on_clicked)
        self.model.modelReset.connect(self._place_radios)
        self.model.choice_changed.connect(self._sync_radio)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MergeFieldsModel.COL_LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MergeFieldsModel.COL_A, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MergeFieldsModel.COL_B, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MergeFieldsModel.COL_CHOICE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(MergeFieldsModel.COL_CHOICE, 110)

        self.moves_label = QLabel(self)
        self.moves_label.setObjectName("movesLabel")
        self.moves_label.setWordWrap(True)
        self.warnings_label = QLabel(self)
        self.warnings_label.setObjectName("warningsLabel")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setStyleSheet(_WARNING_STYLE)
        self.warnings_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("messageLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.merge_button = QPushButton("Объединить", self)
        self.merge_button.setDefault(True)
        self.merge_button.clicked.connect(self.merge)
        self.cancel_button = QPushButton("Отмена", self)
        self.cancel_button.clicked.connect(self.reject)

        survivor = QHBoxLayout()
        survivor.addWidget(survivor_label)
        survivor.addWidget(self.keep_a)
        survivor.addWidget(self.keep_b)
        survivor.addSpacing(8)
        survivor.addWidget(survivor_hint, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.merge_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(self.records_label)
        layout.addLayout(survivor)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.moves_label)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.resize(980, 720)
        self.load()

    @classmethod
    def ask(cls, parent: QWidget | None, db, actor: Actor, a_id: str,
            b_id: str) -> tuple[MergeResult, str] | None:
        """Shows the dialog; (the result, its report) when the records were merged, else None."""
        try:
            dialog = cls(db, actor, a_id, b_id, parent)
        except ServiceError as exc:
            messages.show_error(parent, str(exc))
            return None
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result is not None:
                return dialog.result, dialog.report
            return None
        finally:
            dialog.deleteLater()

    # -- the preview ---------------------------------------------------------
    def keep_other(self) -> tuple[str, str]:
        return (self.a_id, self.b_id) if self.survivor == A else (self.b_id, self.a_id)

    def load(self) -> None:
        """Reads the preview for the current survivor; the choices go back to its defaults."""
        keep_id, other_id = self.keep_other()
        preview = merge_preview(self._db, keep_id, other_id)
        self.preview = preview
        keep_side, other_side = (A, B) if self.survivor == A else (B, A)
        rows, choices = [], []
        for f in preview.fields:
            a, b = (f.keep_value, f.other_value) if self.survivor == A else (f.other_value, f.keep_value)
            rows.append((f.name, f.label, a, b, f.differs))
            choices.append(keep_side if f.default == KEEP else other_side)
        self.model.set_fields(rows, choices)
        brief_a, brief_b = (preview.keep, preview.other) if self.survivor == A else (preview.other, preview.keep)
        self.records_label.setText(
            f"<b>A</b>: {_brief_text(brief_a)}<br><b>B</b>: {_brief_text(brief_b)}")
        moved = "; ".join(f"{r.title}: {format_count(r.count)}" for r in preview.related) or "нет"
        text = f"Перейдут к оставшейся записи: {moved}."
        if preview.duplicates:
            repeats = "; ".join(f"{r.title}: {format_count(r.count)}" for r in preview.duplicates)
            text += f"\nПовторы уйдут в корзину: {repeats}."
        self.moves_label.setText(text)
        self.warnings_label.setText("\n".join(preview.warnings))
        self.warnings_label.setVisible(bool(preview.warnings))
        self.error_label.hide()

    def set_survivor(self, side: str) -> None:
        if side == self.survivor:
            return
        self.survivor = side
        (self.keep_a if side == A else self.keep_b).setChecked(True)
        try:
            self.load()
        except ServiceError as exc:
            self._show_error(str(exc))

    def choose(self, name: str, side: str) -> bool:
        """Which record's value of ``name`` survives ("A" or "B"); False for a row where both agree."""
        row = self.model.row_of(name)
        if not self.model.differs(row):
            return False
        self.model.set_choice(row, side)
        return True

    def choice_of(self, name: str) -> str:
        return self.model.choice(self.model.row_of(name))

    def service_choices(self) -> dict[str, str]:
        """The choices as merge_teachers takes them: "keep" / "other" per field."""
        keep_side = self.survivor
        return {name: KEEP if side == keep_side else OTHER for name, side in self.model.choices().items()}

    # -- the radio buttons ------------------------------------------------------
    def radio(self, name: str, side: str) -> QRadioButton:
        group = self._radios[self.model.row_of(name)]
        return group.button(0 if side == A else 1)

    def _place_radios(self) -> None:
        self._radios = []
        for row in range(self.model.rowCount()):
            cell = QWidget(self.table.viewport())
            cell.setAutoFillBackground(False)
            box = QHBoxLayout(cell)
            box.setContentsMargins(8, 0, 4, 0)
            group = QButtonGroup(cell)
            for number, side in enumerate((A, B)):
                button = QRadioButton(side, cell)
                button.setChecked(self.model.choice(row) == side)
                button.setEnabled(self.model.differs(row))
                button.setToolTip(f"Сохранить значение записи {side}")
                group.addButton(button, number)
                box.addWidget(button)
            box.addStretch(1)
            group.idClicked.connect(lambda number, r=row: self.model.set_choice(r, A if number == 0 else B))
            self._radios.append(group)
            self.table.setIndexWidget(self.model.index(row, MergeFieldsModel.COL_CHOICE), cell)

    @Slot(int)
    def _sync_radio(self, row: int) -> None:
        if row < len(self._radios):
            button = self._radios[row].button(0 if self.model.choice(row) == A else 1)
            if not button.isChecked():
                button.setChecked(True)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        # A click on a value chooses it, as its radio button would.
        if index.column() == MergeFieldsModel.COL_A:
            self.model.set_choice(index.row(), A)
        elif index.column() == MergeFieldsModel.COL_B:
            self.model.set_choice(index.row(), B)

    # -- merging ---------------------------------------------------------------
    @Slot()
    def merge(self) -> MergeResult | None:
        keep_id, other_id = self.keep_other()
        try:
            result = merge_teachers(self._db, self._actor, keep_id, other_id, self.service_choices())
        except ServiceError as exc:
            self._show_error(str(exc))
            return None
        titles = {r.table: r.title for r in (self.preview.related + self.preview.duplicates)} if self.preview else {}
        keep_name = self.preview.keep.fio if self.preview else ""
        other_name = self.preview.other.fio if self.preview else ""
        self.result = result
        self.report = (f"Объединено (№ {result.merge_id}): «{keep_name}» ← «{other_name}». "
                       f"Перенесено: {moved_text(result.moved, titles)}.")
        if result.removed:
            self.report += f" Повторы в корзине: {moved_text(result.removed, titles)}."
        self.report += " Отменить можно в журнале объединений."
        self.accept()
        return result

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


def _brief_text(brief) -> str:
    parts = [f"<b>{html.escape(brief.fio)}</b>", format_date(brief.birth_date),
             f"СНИЛС {brief.snils}" if brief.snils else "", html.escape(brief.organization or "")]
    return ", ".join(p for p in parts if p)


# ---------------------------------------------------------------- the log

class MergeLogModel(RowsTableModel):
    """«Журнал объединений»: latest first; undone merges grey."""

    COLUMNS = (
        CardColumn("№", lambda e: e.merge_id, numeric=True),
        CardColumn("Когда", lambda e: local_time(e.at)),
        CardColumn("Кто", lambda e: e.actor),
        CardColumn("Оставлена запись", lambda e: e.keep_name),
        CardColumn("Поглощена запись", lambda e: e.other_name),
        CardColumn("Перенесено", lambda e: moved_text(e.moved)),
        CardColumn("Отменено", lambda e: _undone_text(e), stretch=True),
    )

    def __init__(self, parent: QObject | None = None):
        super().__init__(self.COLUMNS, (), parent)

    def entry(self, row: int) -> MergeLogEntry:
        return self.row_object(row)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < self.rowCount() \
                and self.entry(index.row()).undone:
            return QBrush(UNDONE_COLOR)
        return super().data(index, role)


def local_time(at: datetime | None) -> str:
    """The log stores UTC without a zone; the user reads the computer's local time."""
    if at is None:
        return ""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone().strftime("%d.%m.%Y %H:%M")


def _undone_text(e: MergeLogEntry) -> str:
    if not e.undone:
        return ""
    when = local_time(e.undone_at)
    return ", ".join(p for p in ("отменено", when, e.undone_by or "") if p)


class MergeLogDialog(QDialog):
    undone = Signal(int)        # the merge id

    def __init__(self, db, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.setObjectName("mergeLogDialog")
        self.setWindowTitle("Журнал объединений")
        self.model = MergeLogModel(self)
        title = QLabel("Журнал объединений", self)
        title.setObjectName("dialogTitle")
        hint = QLabel("Объединения записей педагогов, последние сверху. «Отменить объединение» возвращает обе "
                      "записи и всё, что было перенесено; поля, изменённые после объединения, сохраняют новые "
                      "значения.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(_DONE_STYLE)
        self.status_label.hide()
        self.table = _table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.undo_button = QPushButton("Отменить объединение", self)
        self.undo_button.clicked.connect(self.undo_selected)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1000, 480)

    @classmethod
    def show_log(cls, parent: QWidget | None, db, actor: Actor) -> "MergeLogDialog":
        dialog = cls(db, actor, parent)
        dialog.reload()
        dialog.open()
        return dialog

    def reload(self) -> None:
        row = max(self._selected_row(), 0)
        try:
            entries = merge_log(self._db)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            entries = []
        self.model.set_rows(entries)
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))

    def entries(self) -> list[MergeLogEntry]:
        return [self.model.entry(r) for r in range(self.model.rowCount())]

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _update_buttons(self) -> None:
        row = self._selected_row()
        self.undo_button.setEnabled(row >= 0 and not self.model.entry(row).undone)

    @Slot()
    def undo_selected(self) -> bool:
        row = self._selected_row()
        if row < 0:
            return False
        entry = self.model.entry(row)
        if not messages.confirm_undo_merge(self, entry.keep_name, entry.other_name):
            return False
        try:
            undo_merge(self._db, self._actor, entry.merge_id)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self.status_label.setText(f"Объединение № {entry.merge_id} отменено: «{entry.keep_name}» и "
                                  f"«{entry.other_name}» снова разные записи.")
        self.status_label.show()
        self.reload()
        self.undone.emit(entry.merge_id)
        return True
