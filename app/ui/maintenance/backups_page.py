"""Backups: the automatic copies, how many are kept, a copy now, and restoring from one."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QSpinBox, QTableView,
    QVBoxLayout, QWidget,
)

from app.services.maintenance import backups
from app.services.maintenance import operations as maintenance
from app.services.accounts.accounts import actor_for
from app.services.common.errors import ServiceError
from app.services.maintenance.operations import BackupError
from app.ui.common import messages
from app.ui.common.documents import dated_name, save_path
from app.ui.common.rows_table_model import CardColumn, RowsTableModel

REASONS = {"daily": "ежедневная", "before-restore": "перед восстановлением"}


def reason_text(reason: str) -> str:
    if reason in REASONS:
        return REASONS[reason]
    if reason.startswith("before-upgrade"):
        return "перед обновлением схемы"
    if reason.startswith("before-import"):
        return "перед импортом"
    if reason.startswith("before-sync"):
        return "перед загрузкой пакета обмена"
    return reason


COLUMNS = (
    CardColumn("Когда", lambda b: b.made_at.strftime("%d.%m.%Y %H:%M:%S")),
    CardColumn("Повод", lambda b: reason_text(b.reason)),
    CardColumn("Размер, КБ", lambda b: b.size // 1024, numeric=True),
    CardColumn("Файл", lambda b: str(b.path), stretch=True),
)


def ask_backup_path(parent: QWidget | None) -> str:
    """Where to save a copy ('' = cancelled). Tests replace this function."""
    return save_path(parent, "Резервная копия", dated_name("МетодСеть — копия", "sqlite"), "SQLite (*.sqlite)",
                     "backup", extension="sqlite") or ""


def restore_question(path: Path, accounts_line: str) -> str:
    return (f"Восстановить базу из копии {path}?\n\nТекущее состояние базы будет сохранено в отдельную "
            f"резервную копию, так что ничего не потеряется.\n\n{accounts_line}")


def confirm_restore(parent: QWidget | None, question: str) -> bool:
    """Asks ``question`` (see restore_question). Tests replace this function."""
    answer = QMessageBox.question(parent, messages.APP_TITLE, question)
    return answer == QMessageBox.StandardButton.Yes


class BackupsDialog(QDialog):
    restored = Signal()

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("Резервные копии")
        messages.fit_to_screen(self, 900, 440)
        self.model = RowsTableModel(COLUMNS, parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.keep_spin = QSpinBox(self)
        self.keep_spin.setRange(1, 1000)
        self.keep_spin.setValue(backups.keep_count(db))
        self.keep_spin.editingFinished.connect(self._save_keep)
        self.backup_button = QPushButton("Сделать копию…", self)
        self.restore_button = QPushButton("Восстановить из выбранной…", self)
        self.backup_button.clicked.connect(self._on_backup)
        self.restore_button.clicked.connect(self._on_restore)
        top = QHBoxLayout()
        top.addWidget(self.backup_button)
        top.addWidget(self.restore_button)
        top.addStretch(1)
        top.addWidget(QLabel("Хранить последних автоматических копий:", self))
        top.addWidget(self.keep_spin)
        hint = QLabel("Копии делаются сами: при первом запуске за день, перед каждым импортом и загрузкой "
                      "пакета обмена, перед обновлением схемы и перед восстановлением.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.status_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.status_label)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(backups.list_backups(self._db))
        self.table.resizeColumnsToContents()

    def _save_keep(self) -> None:
        try:
            backups.set_keep_count(self._db, self.keep_spin.value())
        except ServiceError as exc:
            messages.show_error(self, str(exc))
        self.reload()

    def backup_to(self, path: str) -> None:
        try:
            saved = maintenance.backup(self._db, Path(path))
        except (ServiceError, BackupError) as exc:
            messages.show_error(self, str(exc))
            return
        self.status_label.setText(f"Резервная копия сохранена: {saved}")

    def _on_backup(self) -> None:
        path = ask_backup_path(self)
        if path:
            self.backup_to(path)

    def _on_restore(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            messages.show_error(self, "Выберите копию в списке.")
            return
        self.restore_from(self.model.row_object(rows[0].row()).path)

    def restore_from(self, path: Path) -> bool:
        try:
            preview = maintenance.restore_preview(self._db, Path(path))
        except (ServiceError, BackupError) as exc:
            messages.show_error(self, str(exc))
            return False
        if not confirm_restore(self, restore_question(path, preview.accounts_line())):
            return False
        try:
            safety = maintenance.restore(self._db, Path(path), actor_for(self._db))
        except (ServiceError, BackupError) as exc:
            messages.show_error(self, str(exc))
            return False
        self.status_label.setText(f"База восстановлена из {path}. Прежнее состояние сохранено: {safety}")
        self.reload()
        self.restored.emit()
        return True
