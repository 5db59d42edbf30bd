"""Choosing teachers for an event the way the Педагоги list finds them: search and the same filters."""
from __future__ import annotations

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.events import participants as ep
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.filter_panel import FilterPanel

SEARCH_DELAY_MS = 250


def format_count(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


class TeacherListPicker(QDialog):
    """Shows how many teachers the search and filters select; «Добавить» returns their ids."""

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.ids: list[str] = []
        self.setWindowTitle("Педагоги из списка")
        self.resize(760, 260)
        self.search_field = QLineEdit(self)
        self.search_field.setPlaceholderText("Поиск по ФИО, СНИЛС, почте, организации…")
        self.search_field.setClearButtonEnabled(True)
        self.filter_panel = FilterPanel(service, "teachers", self)
        self.filter_panel.load_options()
        self.count_label = QLabel(self)
        self.buttons = QDialogButtonBox(self)
        self.add_button = self.buttons.addButton("Добавить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Будут добавлены все педагоги, которых находят поиск и фильтры "
                                "(те, кто уже участвует, пропускаются).", self))
        layout.addWidget(self.search_field)
        layout.addWidget(self.filter_panel)
        layout.addWidget(self.count_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.recount)
        self.search_field.textChanged.connect(lambda _t: self._timer.start())
        self.filter_panel.changed.connect(self.recount)
        self.recount()

    @Slot()
    def recount(self) -> int:
        self._timer.stop()
        try:
            self.ids = ep.teachers_of_list(self._service.db, self.search_field.text() or None,
                                           self.filter_panel.filters())
        except ServiceError as exc:
            self.ids = []
            self.count_label.setText(str(exc))
        else:
            self.count_label.setText(f"Найдено педагогов: {format_count(len(self.ids))}")
        self.add_button.setEnabled(0 < len(self.ids) <= ep.MAX_BULK)
        if len(self.ids) > ep.MAX_BULK:
            self.count_label.setText(self.count_label.text() + f" — больше {ep.MAX_BULK}, сузьте поиск.")
        return len(self.ids)

    @classmethod
    def ask(cls, parent: QWidget | None, service: RecordService) -> list[str]:
        dialog = cls(service, parent)
        try:
            return list(dialog.ids) if dialog.exec() == QDialog.DialogCode.Accepted else []
        finally:
            dialog.deleteLater()
