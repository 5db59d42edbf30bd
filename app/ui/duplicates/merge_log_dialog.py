"""The merge log: ``MergeLogDialog`` over ``merge_log``, with «Отменить объединение»."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QPushButton, QWidget

from app.services.common.actor import Actor
from app.services.duplicates import MergeLogEntry, merge_log, undo_merge
from app.services.common.errors import ServiceError
from app.ui.common.record_table import lay_out_list_dialog
from app.ui.common import messages
from app.ui.common.rows_table_model import CardColumn, RowsTableModel
from app.ui.duplicates.tables import DONE_STYLE, make_table, moved_text
from app.ui.common.messages import dialog_heading

_Index = QModelIndex | QPersistentModelIndex
UNDONE_COLOR = QColor("#9aa5b1")


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
        title, hint = dialog_heading(
            self, "Журнал объединений",
            "Объединения записей педагогов, последние сверху. «Отменить объединение» возвращает обе "
            "записи и всё, что было перенесено; поля, изменённые после объединения, сохраняют новые "
            "значения.")
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet(DONE_STYLE)
        self.status_label.hide()
        self.table = make_table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.undo_button = QPushButton("Отменить объединение", self)
        self.undo_button.clicked.connect(self.undo_selected)
        self.close_button = QPushButton("Закрыть", self)
        self.close_button.clicked.connect(self.accept)
        lay_out_list_dialog(self, (title, hint, self.status_label), self.table,
                            (self.undo_button,), self.close_button, (1000, 480))

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
