"""The files of a material inside its form: add (copied into the store), remove, open, «Сохранить как…».

A picked file is copied into the application's file store at once (it is
stored by its SHA-256, so picking it again costs nothing) and its row is
written when the form is saved, together with the material. Removing a file
takes effect on save too.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from app.domain.validators import format_date
from app.services.common.errors import ServiceError
from app.services.materials.files import AttachedFile, export_file, list_files, stage_file, viewing_copy
from app.ui.common import messages
from app.ui.common.documents import ALL_FILES, ATTACHMENTS, open_paths, save_path

COLUMNS = ("Файл", "Размер", "Версия", "Добавлен")


def choose_files(parent: QWidget | None) -> list[str]:
    """Asks which files to attach; an empty list if the user cancelled."""
    return open_paths(parent, "Прикрепить файлы", ALL_FILES, ATTACHMENTS)


def choose_save_path(parent: QWidget | None, file_name: str) -> str | None:
    """Where to save a copy of an attached file (its own name proposed); None if cancelled."""
    return save_path(parent, "Сохранить файл как", file_name, ALL_FILES, ATTACHMENTS)


def open_with_system_viewer(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.fspath(path)))


class MaterialFilesPanel(QWidget):
    changed = Signal()

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._saved: list[AttachedFile] = []
        self.files: list[AttachedFile] = []          # what the form shows: saved ones kept + staged ones

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("filesTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(120)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("Прикрепить…", self)
        self.add_button.setObjectName("addFiles")
        self.add_button.setToolTip("Файл копируется в хранилище программы; исходный файл можно потом удалить")
        self.remove_button = QPushButton("Убрать", self)
        self.open_button = QPushButton("Открыть", self)
        self.open_button.setToolTip("Открыть в программе просмотра (двойной щелчок по строке)")
        self.save_as_button = QPushButton("Сохранить как…", self)
        self.add_button.clicked.connect(self.add_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.save_as_button.clicked.connect(self.save_selected_as)
        self.notice = QLabel(self)
        self.notice.setObjectName("hintLabel")
        self.notice.setWordWrap(True)

        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.open_button, self.save_as_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.notice)
        self._update_buttons()

    # -- content -------------------------------------------------------------
    def load(self, material_id: str) -> None:
        self._saved = list_files(self._db, material_id)
        self.files = list(self._saved)
        self._fill()

    def added(self) -> list[AttachedFile]:
        return [f for f in self.files if f.id is None]

    def removed(self) -> list[str]:
        kept = {f.id for f in self.files if f.id}
        return [f.id for f in self._saved if f.id not in kept]

    def is_dirty(self) -> bool:
        return bool(self.added() or self.removed())

    def file_names(self) -> list[str]:
        return [self.table.item(r, 0).text() for r in range(self.table.rowCount())]

    def _fill(self) -> None:
        self.table.setRowCount(len(self.files))
        for row, f in enumerate(self.files):
            cells = (f.file_name, f.size_text, str(f.round) if f.id else "новый",
                     format_date(f.added_at.date()) if f.added_at else "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setToolTip(f"{f.file_name}\nSHA-256: {f.sha256}")
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected(self) -> AttachedFile | None:
        row = self.table.currentRow()
        return self.files[row] if 0 <= row < len(self.files) and self.table.selectedItems() else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for b in (self.remove_button, self.open_button, self.save_as_button):
            b.setEnabled(chosen)

    # -- actions -------------------------------------------------------------
    @Slot()
    def add_files(self, paths: list[str] | None = None) -> int:
        """Copies the files into the store and lists them; how many were added."""
        paths = paths if paths is not None else choose_files(self)
        added, problems = 0, []
        for path in paths:
            try:
                f = stage_file(self._db, path)
            except ServiceError as exc:
                problems.append(str(exc))
                continue
            if any(x.sha256 == f.sha256 and x.file_name == f.file_name for x in self.files):
                problems.append(f"Файл «{f.file_name}» уже прикреплён.")
                continue
            self.files.append(f)
            added += 1
        self._fill()
        if added:
            self.table.selectRow(len(self.files) - 1)
            self.changed.emit()
        self.notice.setText("\n".join(problems) if problems else
                            ("Файлы будут прикреплены при сохранении." if added else ""))
        if problems:
            messages.show_error(self, "\n".join(problems))
        return added

    @Slot()
    def remove_selected(self) -> bool:
        f = self.selected()
        if f is None:
            return False
        self.files.remove(f)
        self._fill()
        self.notice.setText("Файл будет откреплён при сохранении." if f.id else "")
        self.changed.emit()
        return True

    @Slot()
    def open_selected(self) -> Path | None:
        f = self.selected()
        if f is None:
            return None
        try:
            path = viewing_copy(self._db, f)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        if not open_with_system_viewer(path):
            messages.show_error(self, f"Не удалось открыть файл «{f.file_name}»: в системе нет программы "
                                      f"для файлов этого вида. Сохраните его («Сохранить как…») и откройте вручную.")
        return path

    @Slot()
    def save_selected_as(self) -> Path | None:
        f = self.selected()
        if f is None:
            return None
        target = choose_save_path(self, f.file_name)
        if not target:
            return None
        try:
            path = export_file(self._db, f, target)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        self.notice.setText(f"Файл сохранён: {path}")
        return path
