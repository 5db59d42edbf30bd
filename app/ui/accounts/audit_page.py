"""The audit log: who changed what and when, before → after; filters and export to Excel.

The table keeps only the ids of matching entries and reads rows in blocks as
they scroll into view, so a log of millions of entries opens at once.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
    QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from app.export.audit_xlsx import export_xlsx
from app.services.accounts import audit_log
from app.services.common.errors import ServiceError
from app.ui.common import messages
from app.ui.common.documents import XLSX_FILTER, dated_name, save_path
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task

AUDIT_FILES = "audit"      # the kind of file whose folder the save dialog remembers

BLOCK = 200
CACHE_LIMIT = 5000
HEADERS = ("Когда", "Кто", "Действие", "Вид записи", "Запись")


class AuditTableModel(QAbstractTableModel):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        self._db = db
        self._ids: list[int] = []
        self._cache: dict[int, audit_log.AuditRow] = {}
        self.fetches = 0        # how many blocks were read (a test checks that rows are read lazily)

    def load(self, f: audit_log.AuditFilter) -> None:
        self.beginResetModel()
        self._ids = audit_log.ids(self._db, f)
        self._cache.clear()
        self.endResetModel()

    def entry(self, row: int) -> audit_log.AuditRow:
        entry_id = self._ids[row]
        if entry_id not in self._cache:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            start = (row // BLOCK) * BLOCK
            self._cache.update(audit_log.rows(self._db, self._ids[start:start + BLOCK]))
            self.fetches += 1
        return self._cache[entry_id]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt override
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entry(index.row())
        return (e.at.strftime("%d.%m.%Y %H:%M:%S"), e.actor, e.action_label, e.entity_label,
                e.summary)[index.column()]


def ask_save_path(parent: QWidget | None) -> str:
    """Where to save the export ('' = cancelled). Tests replace this function."""
    return save_path(parent, "Выгрузка журнала", dated_name("Журнал изменений", "xlsx"), XLSX_FILTER, AUDIT_FILES,
                     extension="xlsx") or ""


def _date_edit(parent: QWidget) -> tuple[QCheckBox, QDateEdit]:
    check = QCheckBox(parent)
    edit = QDateEdit(QDate.currentDate(), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setEnabled(False)
    check.toggled.connect(edit.setEnabled)
    return check, edit


class AuditDialog(QDialog):
    exported = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._task: Task | None = None
        self.setWindowTitle("Журнал изменений")
        messages.fit_to_screen(self, 1100, 640)
        self.actor_combo = QComboBox(self)
        self.kind_combo = QComboBox(self)
        self.since_check, self.since_edit = _date_edit(self)
        self.until_check, self.until_edit = _date_edit(self)
        self.apply_button = QPushButton("Показать", self)
        self.export_button = QPushButton("Выгрузить в Excel…", self)
        self.count_label = QLabel(self)
        self._fill_choices()

        # Two rows: on a 911-pixel screen (1366×768 at 150 %) one row of all filters is wider than it.
        who = QHBoxLayout()
        for label, widget in (("Кто:", self.actor_combo), ("Вид записи:", self.kind_combo)):
            who.addWidget(QLabel(label, self))
            who.addWidget(widget)
        who.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("с", self))
        filters.addWidget(self.since_check)
        filters.addWidget(self.since_edit)
        filters.addWidget(QLabel("по", self))
        filters.addWidget(self.until_check)
        filters.addWidget(self.until_edit)
        filters.addWidget(self.apply_button)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        self.model = AuditTableModel(db, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for col, width in enumerate((150, 110, 130, 170)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Выберите запись журнала: здесь будет видно, что было и что стало.")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(who)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.count_label)
        self.apply_button.clicked.connect(self.apply_filter)
        self.export_button.clicked.connect(self._on_export)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show_details(cur.row()))
        self.apply_filter()

    def _fill_choices(self) -> None:
        self.actor_combo.addItem("все", None)
        for name in audit_log.actors(self._db):
            self.actor_combo.addItem(name, name)
        self.kind_combo.addItem("все", None)
        for key, label in audit_log.kinds(self._db):
            self.kind_combo.addItem(label, key)

    def current_filter(self) -> audit_log.AuditFilter:
        def day(check: QCheckBox, edit: QDateEdit) -> date | None:
            return edit.date().toPython() if check.isChecked() else None
        return audit_log.AuditFilter(self.actor_combo.currentData(), self.kind_combo.currentData(),
                                     day(self.since_check, self.since_edit), day(self.until_check, self.until_edit))

    def apply_filter(self) -> None:
        try:
            self.model.load(self.current_filter())
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return
        self.count_label.setText(f"Записей журнала: {self.model.rowCount()}")
        self.details.clear()

    def _show_details(self, row: int) -> None:
        if row < 0:
            return
        e = self.model.entry(row)
        before, after = audit_log.change_lines(e, names=audit_log.reference_names(self._db, [e]))
        lines = [f"{e.at:%d.%m.%Y %H:%M:%S} · {e.actor} · {e.action_label} · {e.entity_label}", e.summary, ""]
        if before or after:
            lines += ["Было:", before or "—", "", "Стало:", after or "—"]
        self.details.setPlainText("\n".join(lines))

    def _on_export(self) -> None:
        path = ask_save_path(self)
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> Task:
        db, f = self._db, self.current_filter()
        task = Task(lambda progress, is_cancelled: export_xlsx(
            db, f, path, progress=progress, is_cancelled=is_cancelled), self)
        task.succeeded.connect(lambda n: (self.count_label.setText(f"Выгружено записей: {n} → {path}"),
                                          self.exported.emit(path)))
        task.failed.connect(lambda exc: messages.show_error(self, f"Не удалось выгрузить журнал: {exc}"))
        self._task = task
        dialog = TaskProgressDialog(task, "Выгрузка журнала", "Запись журнала изменений в Excel…", self)
        task.start()
        dialog.show()
        return task
