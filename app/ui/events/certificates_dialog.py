"""«Сертификаты…» of one event: who may get one, issuing, saving as files, one PDF or a ZIP.

Only participants whose attendance is «Присутствовал» can be ticked; the
others are listed greyed with the reason. Saving issues what is not issued
yet (one transaction; an issued certificate keeps its number and code) and
then writes the files off the GUI thread with progress and «Отмена».
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.domain.wording import event_name
from app.domain.validators import format_date
from app.export.pdf_certificates import (
    CertificatesCancelled, suggested_pdf_name, suggested_zip_name, write_certificate_files,
    write_certificates_pdf, write_certificates_zip,
)
from app.services.common.actor import Actor
from app.services.events.certificate_participants import ParticipantRow, event_info, participants
from app.services.events.certificates import CertificateRecord, IssueResult, issue_certificates
from app.services.common.errors import ServiceError
from app.ui.common import messages
from app.ui.common.documents import PDF_FILTER, choose_folder, dated_name, save_path
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task

COLUMNS = ("", "Участник", "Организация", "Роль", "Посещение", "Часы", "Сертификат")
GREY = "#8a94a6"


CERTIFICATE_FILES = "certificates"      # the kind of file whose folder the dialogs remember


def ask_folder(parent: QWidget | None) -> str | None:
    """Where to put one file per certificate; None if cancelled (tests replace this function)."""
    return choose_folder(parent, "Папка для сертификатов", CERTIFICATE_FILES)


def ask_file(parent: QWidget | None, suggested_name: str, kind: str) -> str | None:
    """A PDF or ZIP path to save to; None if cancelled (tests replace this function)."""
    extension = "zip" if kind == "zip" else "pdf"
    name_filter = "Архив ZIP (*.zip)" if kind == "zip" else PDF_FILTER
    return save_path(parent, "Сохранить сертификаты", dated_name(Path(suggested_name).stem, extension), name_filter,
                     CERTIFICATE_FILES, extension=extension)


class CertificatesDialog(QDialog):
    changed = Signal()              # certificates were issued
    saved = Signal(object)          # list of written paths

    def __init__(self, db, actor: Actor | None, event_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.subject_event = event_info(db, event_id)
        self.rows: list[ParticipantRow] = []
        self.task: Task | None = None
        self.last_paths: list[Path] = []
        self.setObjectName("certificatesDialog")
        self.setWindowTitle(f"Сертификаты: {self.subject_event.title}")

        title = QLabel("Сертификаты участников", self)
        title.setObjectName("dialogTitle")
        event_label = QLabel(f"{event_name(self.subject_event.kind_label, self.subject_event.title)}, "
                             f"{format_date(self.subject_event.starts_on)}",
                             self)
        event_label.setWordWrap(True)
        hint = QLabel("Сертификат выдаётся только участникам с отметкой «Присутствовал». Выданный сертификат "
                      "получает номер в реестре и код проверки; повторная выдача возвращает тот же номер.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("participantsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Names and organisations are long (full official names): they share the width, elided.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.itemChanged.connect(lambda _item: self._update_buttons())

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.all_button = QPushButton("Выбрать всех присутствовавших", self)
        self.all_button.clicked.connect(lambda: self.set_all_checked(True))
        self.none_button = QPushButton("Снять выбор", self)
        self.none_button.clicked.connect(lambda: self.set_all_checked(False))
        self.issue_button = QPushButton("Выдать", self)
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setToolTip("Внести сертификаты выбранных участников в реестр (номер и код проверки)")
        self.issue_button.clicked.connect(self.issue_selected)
        self.files_button = QPushButton("Файлы в папку…", self)
        self.files_button.setToolTip("По одному PDF на участника")
        self.files_button.clicked.connect(lambda: self.save("files"))
        self.pdf_button = QPushButton("Одним PDF…", self)
        self.pdf_button.setToolTip("Один файл PDF, по странице на участника")
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.zip_button = QPushButton("Архив ZIP…", self)
        self.zip_button.setToolTip("Архив ZIP с PDF каждого участника")
        self.zip_button.clicked.connect(lambda: self.save("zip"))
        self.open_button = QPushButton("Открыть", self)
        self.open_button.setToolTip("Открыть сохранённое")
        self.open_button.clicked.connect(self.open_saved)
        self.open_button.setEnabled(False)
        close = QPushButton("Закрыть", self)
        close.clicked.connect(self.accept)

        choose = QHBoxLayout()
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        choose.addStretch(1)
        choose.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.issue_button)
        actions.addSpacing(12)
        actions.addWidget(self.files_button)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.zip_button)
        actions.addStretch(1)
        actions.addWidget(self.open_button)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(event_label)
        layout.addWidget(hint)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(actions)
        messages.fit_to_screen(self, 900, 540)
        self.reload()
        self.set_all_checked(True)

    # -- the list -------------------------------------------------------------------------------------
    def reload(self) -> None:
        checked = set(self.checked_ids())
        self.rows = participants(self._db, self.subject_event.id)
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(self.rows))
            for i, row in enumerate(self.rows):
                self._fill_row(i, row, row.participation_id in checked)
        finally:
            self.table.blockSignals(False)
        self._update_buttons()

    def _fill_row(self, i: int, row: ParticipantRow, checked: bool) -> None:
        hours = f"{row.hours:g}".replace(".", ",") if row.hours else ""
        values = ("", row.name, row.organization_name, row.role, row.attendance_label, hours,
                  row.certificate_number)
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, row.participation_id)
            if not row.is_present:
                item.setForeground(QBrush(QColor(GREY)))
                item.setToolTip("Сертификат не выдаётся: посещение не отмечено как «Присутствовал»")
            self.table.setItem(i, column, item)
        box = self.table.item(i, 0)
        if row.is_present:
            box.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            box.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        else:
            box.setFlags(Qt.ItemFlag.ItemIsSelectable)

    def set_all_checked(self, checked: bool) -> None:
        self.table.blockSignals(True)
        try:
            for i, row in enumerate(self.rows):
                if row.is_present:
                    self.table.item(i, 0).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        finally:
            self.table.blockSignals(False)
        self._update_buttons()

    def set_checked(self, participation_id: str, checked: bool) -> None:
        for i, row in enumerate(self.rows):
            if row.participation_id == participation_id and row.is_present:
                self.table.item(i, 0).setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[str]:
        out = []
        for i, row in enumerate(self.rows):
            item = self.table.item(i, 0)
            if row.is_present and item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(row.participation_id)
        return out

    def _update_buttons(self) -> None:
        chosen = len(self.checked_ids())
        present = sum(1 for r in self.rows if r.is_present)
        busy = self.task is not None and self.task.is_running()
        for button in (self.issue_button, self.files_button, self.pdf_button, self.zip_button):
            button.setEnabled(chosen > 0 and not busy)
        self.count_label.setText(f"Участников: {len(self.rows)}, присутствовали: {present}, выбрано: {chosen}")

    # -- issuing and saving ---------------------------------------------------------------------------------
    @Slot()
    def issue_selected(self) -> IssueResult | None:
        ids = self.checked_ids()
        if not ids:
            return None
        try:
            result = issue_certificates(self._db, self.subject_event.id, ids, actor=self._actor)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        self.reload()
        if result.new_count:
            self.changed.emit()
        self.status_label.setText(f"В реестре: {len(result.certificates)} сертификатов, "
                                  f"из них выдано сейчас: {result.new_count}.")
        return result

    def save(self, kind: str) -> Task | None:
        """Asks where, issues the chosen certificates, then writes them in the background."""
        if not self.checked_ids():
            return None
        if kind == "files":
            target = ask_folder(self)
        else:
            name = suggested_zip_name(self.subject_event.title) if kind == "zip" else suggested_pdf_name(self.subject_event.title)
            target = ask_file(self, name, kind)
        if not target:
            return None
        result = self.issue_selected()
        if result is None or not result.certificates:
            return None
        return self._write(kind, target, result.certificates)

    def _write(self, kind: str, target: str, records: list[CertificateRecord]) -> Task:
        def work(progress, is_cancelled) -> list[Path]:
            if kind == "files":
                return write_certificate_files(records, target, progress=progress, is_cancelled=is_cancelled)
            if kind == "zip":
                return [write_certificates_zip(records, target, progress=progress, is_cancelled=is_cancelled)]
            if is_cancelled():
                raise CertificatesCancelled()
            progress(0.0, f"Сертификатов: {len(records)}")
            return [write_certificates_pdf(records, target)]

        task = Task(work, self)
        task.succeeded.connect(self._on_saved)
        task.cancelled.connect(lambda: self.status_label.setText("Сохранение отменено; файлы не записаны."))
        task.failed.connect(lambda exc: self._on_failed(exc))
        task.finished.connect(self._update_buttons)
        self.task = task
        progress = TaskProgressDialog(task, "Сертификаты", f"Сохранение сертификатов ({len(records)})…", self)
        task.start()
        progress.show()
        self._update_buttons()
        return task

    @Slot(object)
    def _on_saved(self, paths: list[Path]) -> None:
        self.last_paths = list(paths)
        self.open_button.setEnabled(bool(paths))
        if len(paths) == 1:
            self.status_label.setText(f"Сохранено: {paths[0]}")
        else:
            self.status_label.setText(f"Сохранено файлов: {len(paths)} в папке {paths[0].parent}")
        self.saved.emit(self.last_paths)

    def _on_failed(self, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, ServiceError) else f"Не удалось сохранить сертификаты: {exc}"
        self.status_label.setText(text)
        messages.show_error(self, text)

    @Slot()
    def open_saved(self, opener: Callable[[QUrl], bool] = QDesktopServices.openUrl) -> bool:
        if not self.last_paths:
            return False
        path = self.last_paths[0] if len(self.last_paths) == 1 else self.last_paths[0].parent
        return opener(QUrl.fromLocalFile(os.fspath(path)))

    def done(self, result: int) -> None:
        if self.task is not None and self.task.is_running():
            return          # the progress window's «Отмена» stops the writing first
        super().done(result)
