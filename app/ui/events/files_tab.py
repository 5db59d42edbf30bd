"""The files of an event (the minutes of a meeting and others): attach, open with the system viewer, remove."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.services.events import files as ef
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.documents import ALL_FILES, ATTACHMENTS, open_path


class EventFilesTab(QWidget):
    changed = Signal()

    def __init__(self, service: RecordService, event_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.event_id = event_id
        self.files: list[ef.AttachedFile] = []
        self.last_opened: Path | None = None

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("eventFilesTable")
        self.table.setHorizontalHeaderLabels(("Файл", "Вид", "Размер"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.kind_combo = QComboBox(self)
        for code, label in ef.FILE_KINDS.items():
            self.kind_combo.addItem(label, code)
        self.attach_button = QPushButton("Прикрепить файл…", self)
        self.attach_button.setToolTip("Файл копируется в хранилище программы; одинаковые файлы хранятся один раз")
        self.attach_button.clicked.connect(self.attach_chosen)
        self.open_button = QPushButton("Открыть", self)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton("Открепить", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Вид:", self))
        buttons.addWidget(self.kind_combo)
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self) -> None:
        self.files = ef.event_files(self._service.db, self.event_id)
        self.table.setRowCount(len(self.files))
        for r, f in enumerate(self.files):
            for c, text in enumerate((f.file_name, f.kind_label, f.size_text)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self._update_buttons()

    def file_names(self) -> list[str]:
        return [f.file_name for f in self.files]

    def _selected(self) -> ef.AttachedFile | None:
        rows = self.table.selectionModel().selectedRows()
        return self.files[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    @staticmethod
    def choose_file(parent: QWidget) -> str | None:
        return open_path(parent, "Файл для мероприятия", ALL_FILES, ATTACHMENTS)

    @Slot()
    def attach_chosen(self) -> bool:
        path = self.choose_file(self)
        return bool(path) and self.attach(path, self.kind_combo.currentData())

    def attach(self, path: str, kind: str = "minutes") -> bool:
        try:
            ef.attach_file(self._service.db, self._service.actor, self.event_id, path, kind)
        except ServiceError as exc:
            self.message_label.setText(str(exc))
            return False
        self.message_label.setText(f"Файл «{Path(path).name}» прикреплён.")
        self.reload()
        self.table.selectRow(len(self.files) - 1)
        self.changed.emit()
        return True

    @Slot()
    def open_selected(self) -> Path | None:
        chosen = self._selected()
        if chosen is None:
            return None
        try:
            path = ef.export_file(self._service.db, chosen.id)
        except ServiceError as exc:
            self.message_label.setText(str(exc))
            return None
        self.last_opened = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.message_label.setText(f"Не удалось открыть файл программой по умолчанию. Копия файла: {path}")
        return path

    @Slot()
    def remove_selected(self) -> bool:
        chosen = self._selected()
        if chosen is None:
            return False
        try:
            ef.remove_file(self._service.db, self._service.actor, chosen.id)
        except ServiceError as exc:
            self.message_label.setText(str(exc))
            return False
        self.message_label.setText(f"Файл «{chosen.file_name}» откреплён (его можно вернуть из корзины).")
        self.reload()
        self.changed.emit()
        return True

