"""Merging two teacher records field by field: ``MergeDialog`` over ``merge_preview``, «Объединить» calls ``merge_teachers``."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QRadioButton,
    QVBoxLayout, QWidget,
)

from app.services.common.actor import Actor
from app.services.duplicates import KEEP, OTHER, MergePreview, MergeResult, merge_preview, merge_teachers
from app.services.common.errors import ServiceError
from app.ui.common import messages

from app.ui.common.record_table import format_count
from app.ui.duplicates.tables import A, B, brief_text, make_table, moved_text

_Index = QModelIndex | QPersistentModelIndex
EQUAL_COLOR = QColor("#9aa5b1")
CHOSEN_BACKGROUND = QColor("#e6f4ea")
WARNING_STYLE = ("color: #7a4b00; background: #fff4d6; border: 1px solid #f0d48a; "
                 "border-radius: 4px; padding: 6px 8px;")


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

        self.table = make_table(self.model, self)
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
        self.warnings_label.setStyleSheet(WARNING_STYLE)
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
        messages.fit_to_screen(self, 980, 720)
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
            f"<b>A</b>: {brief_text(brief_a)}<br><b>B</b>: {brief_text(brief_b)}")
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
