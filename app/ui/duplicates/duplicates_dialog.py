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


from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.common.actor import Actor
from app.services.duplicates import DuplicateGroup, MergeResult, duplicate_groups
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.record_table import lay_out_list_dialog
from app.ui.common import messages
from app.ui.common.record_dialog import open_record
from app.ui.common.rows_table_model import CardColumn, RowsTableModel

from app.ui.common.record_table import format_count
from app.ui.duplicates.tables import DONE_STYLE, make_table
from app.ui.duplicates.merge_dialog import MergeDialog
from app.ui.duplicates.merge_log_dialog import MergeLogDialog
from app.ui.common.messages import dialog_heading

_Index = QModelIndex | QPersistentModelIndex
GROUP_SHADES = (QColor("#ffffff"), QColor("#f1f5f9"))


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

        title, hint = dialog_heading(
            self, "Возможные дубликаты педагогов",
            "Записи, которые, вероятно, описывают одного человека. Выберите две записи одной группы "
            "(Ctrl+щелчок) и нажмите «Объединить…»: вы увидите оба набора данных и выберете, что "
            "сохранить. Объединение можно отменить в журнале.")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("mergeStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(DONE_STYLE)
        self.status_label.hide()
        self.table = make_table(self.model, self)
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
        lay_out_list_dialog(self, (title, top, self.status_label), self.table,
                            (self.merge_button, self.log_button, self.refresh_button), self.close_button,
                            (1080, 600))

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
