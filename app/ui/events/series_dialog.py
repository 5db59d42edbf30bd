"""Small dialogs of the events page: a copy on another date, and a series of recurring meetings."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit,
    QSpinBox, QVBoxLayout, QWidget,
)

from app.domain import enums as E
from app.services.events import events as ev
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.field_editors import RefEditor


def date_edit(parent: QWidget, day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    return edit


def py_date(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class CopyEventDialog(QDialog):
    """«Копировать…»: the new date; organisers are copied, participants and files are not."""

    def __init__(self, service: RecordService, event_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.event_id = event_id
        self.new_id: str | None = None
        record = service.get("events", event_id)
        self.setWindowTitle("Копирование мероприятия")
        self.date_edit = date_edit(self, record["starts_on"])
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Дата начала копии:", self.date_edit)
        layout = QVBoxLayout(self)
        explanation = QLabel(f"Копия «{record['title']}»: те же сведения и организаторы; "
                             "участники и файлы не копируются.", self)
        explanation.setWordWrap(True)          # a long title must not make the dialog wider than the screen
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    @Slot()
    def submit(self) -> bool:
        try:
            self.new_id = ev.copy_event(self._service.db, self._service.actor, self.event_id,
                                        py_date(self.date_edit))
        except ServiceError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


class SeriesDialog(QDialog):
    """«Серия встреч…»: N meetings from a date every week, fortnight, month or quarter, in one action."""

    def __init__(self, service: RecordService, parent: QWidget | None = None, template: dict | None = None):
        super().__init__(parent)
        self._service = service
        self.new_ids: list[str] = []
        self.setWindowTitle("Серия регулярных встреч")
        self.resize(620, 0)
        t = template or {}
        self.title_edit = QLineEdit(t.get("title") or "Заседание РМО", self)
        self.kind_combo = self._enum_combo(E.EventKind, t.get("kind") or E.EventKind.RMO_MEETING.value)
        self.format_combo = self._enum_combo(E.EventFormat, t.get("format") or E.EventFormat.IN_PERSON.value)
        self.community_ref = RefEditor(service, spec_for("events").field("community_id"), self)
        if t.get("community_id"):
            self.community_ref.set_record(t["community_id"], t.get("community") or "")
        self.organizer_ref = RefEditor(service, spec_for("event_organizers").field("organization_id"), self)
        self.venue_edit = QLineEdit(t.get("venue") or "", self)
        self.hours_spin = QDoubleSpinBox(self)
        self.hours_spin.setRange(0, 1000)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setValue(float(t.get("hours") or 2))
        self.start_edit = date_edit(self, t.get("starts_on") or date.today())
        self.period_combo = QComboBox(self)
        for code, (label, _step) in ev.PERIODS.items():
            self.period_combo.addItem(label, code)
        self.period_combo.setCurrentIndex(self.period_combo.findData("month"))
        self.count_spin = QSpinBox(self)
        self.count_spin.setRange(1, ev.MAX_SERIES)
        self.count_spin.setValue(9)
        self.members_check = QCheckBox("Участники каждой встречи — педагоги сообщества (лист посещения готов)", self)
        self.members_check.setChecked(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("messageLabel")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Создать встречи")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for label, widget in (("Название:", self.title_edit), ("Вид:", self.kind_combo),
                              ("Формат:", self.format_combo), ("Сообщество:", self.community_ref),
                              ("Организатор:", self.organizer_ref), ("Место или ссылка:", self.venue_edit),
                              ("Часов за встречу:", self.hours_spin), ("Первая встреча:", self.start_edit),
                              ("Периодичность:", self.period_combo), ("Число встреч:", self.count_spin)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.members_check)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _enum_combo(self, enum, value: str) -> QComboBox:
        combo = QComboBox(self)
        for code, label in enum.choices():
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        return combo

    def values(self) -> dict:
        place = self.venue_edit.text().strip()
        is_link = place.lower().startswith(("http://", "https://", "www."))
        return {"title": self.title_edit.text().strip(), "kind": self.kind_combo.currentData(),
                "format": self.format_combo.currentData(), "community_id": self.community_ref.value() or None,
                "venue": "" if is_link else place, "link": place if is_link else "",
                "hours": self.hours_spin.value()}

    @Slot()
    def submit(self) -> bool:
        organizers = [self.organizer_ref.value()] if self.organizer_ref.value() else []
        try:
            self.new_ids = ev.create_series(self._service.db, self._service.actor, self.values(),
                                            py_date(self.start_edit), self.count_spin.value(),
                                            self.period_combo.currentData(), organizers,
                                            add_community_members=self.members_check.isChecked())
        except ServiceError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True
