"""The card of an event: what it is, and tabs for participants (the attendance sheet), organisers,
files (the minutes) and the other meetings of its series.

Each action (adding participants, saving the sheet, attaching a file, changing
organisers) is its own transaction; ``changed`` tells the list to re-read.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain import enums as E
from app.domain.validators import format_date
from app.services.events import events as ev
from app.services.events import participants as ep
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.events.attendance import AttendanceSheet
from app.ui.events.files_tab import EventFilesTab
from app.ui.events.teacher_picker import TeacherListPicker
from app.ui.common.field_editors import RefEditor
from app.ui.common import messages

CARD_SIZE = (980, 720)


def ref_editor(service: RecordService, entity: str, field: str, parent: QWidget) -> RefEditor:
    return RefEditor(service, spec_for(entity).field(field), parent)


class EventCardDialog(QDialog):
    changed = Signal(str)               # the event id: something in it was written

    def __init__(self, service: RecordService, event_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.event_id = event_id
        self.record = service.get("events", event_id)
        self.setWindowTitle("Мероприятие")
        self.setSizeGripEnabled(True)
        messages.fit_to_screen(self, *CARD_SIZE)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("eventSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.edit_button = QPushButton("Изменить сведения…", self)
        self.edit_button.clicked.connect(self.edit_fields)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()           # shown with a message only

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.attendance = AttendanceSheet(service, event_id, self)
        self.attendance.saved.connect(lambda _n: self._changed())
        self.tabs.addTab(self._participants_tab(), "Участники и посещение")
        self.tabs.addTab(self._organizers_tab(), "Организаторы")
        self.files = EventFilesTab(service, event_id, self)
        self.files.changed.connect(self._changed)
        self.tabs.addTab(self.files, "Файлы (протокол)")
        self.tabs.addTab(self._series_tab(), "Серия встреч")

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(close)
        self._show_summary()
        self.reload_organizers()
        self.reload_series()

    # -- the summary ---------------------------------------------------------
    def _show_summary(self) -> None:
        r = self.record
        when = format_date(r["starts_on"]) + (f" – {format_date(r['ends_on'])}" if r.get("ends_on") else "")
        parts = [E.EventKind.label_of(r["kind"]), E.EventFormat.label_of(r["format"]), when,
                 E.EventStatus.label_of(r["status"])]
        place = " · ".join(p for p in (r.get("venue"), r.get("link")) if p)
        lines = [f"<b style='font-size:15px'>{html.escape(r['title'])}</b>",
                 html.escape(" · ".join(p for p in parts if p))]
        if place:
            lines.append(html.escape(place))
        extra = []
        if r.get("hours"):
            extra.append(f"часов: {r['hours']:g}".replace(".", ","))
        if r.get("plan_year"):
            extra.append(f"план на {r['plan_year']} год")
        if r.get("community"):
            extra.append(f"сообщество: {r['community']}")
        if r.get("audience"):
            extra.append(f"аудитория: {r['audience']}")
        if extra:
            lines.append(html.escape("; ".join(extra)))
        organizers = [name for _id, name in ev.organizer_names(self._service.db, self.event_id)]
        lines.append(html.escape("Организаторы: " + ("; ".join(organizers) if organizers else "не указаны")))
        self.summary_label.setText("<br>".join(lines))
        self.setWindowTitle(f"Мероприятие — {r['title']}")

    @Slot()
    def edit_fields(self) -> bool:
        from app.ui.common.record_dialog import RecordDialog

        if RecordDialog.ask(self, self._service, "events", self.event_id) is None:
            return False
        try:
            ep.resync_routes(self._service.db, self._service.actor, self.event_id)
        except ServiceError as exc:
            self._say(str(exc))
        self.record = self._service.get("events", self.event_id)
        self._show_summary()
        self._changed()
        return True

    def _changed(self) -> None:
        self.changed.emit(self.event_id)

    def _say(self, text: str, *, done: bool = False) -> None:
        messages.show_in_line(self.message_label, text, done=done)

    # -- participants --------------------------------------------------------
    def _participants_tab(self) -> QWidget:
        page = QWidget(self)
        self.role_combo = QComboBox(page)
        for code, label in E.ParticipationRole.choices():
            self.role_combo.addItem(label, code)
        self.teacher_ref = ref_editor(self._service, "participations", "teacher_id", page)
        self.organization_ref = ref_editor(self._service, "participations", "organization_id", page)
        self.community_ref = ref_editor(self._service, "community_members", "community_id", page)
        if self.record.get("community_id"):
            # A meeting of a community: its members are the usual participants.
            self.community_ref.set_record(self.record["community_id"], self.record.get("community") or "")
        self.org_as_participant_ref = ref_editor(self._service, "participations", "organization_id", page)
        grid = QGridLayout()
        rows = (("Педагог:", self.teacher_ref, self.add_teacher),
                ("Все педагоги организации:", self.organization_ref, self.add_organization_teachers),
                ("Участники сообщества:", self.community_ref, self.add_community_members),
                ("Организация как участник:", self.org_as_participant_ref, self.add_organization))
        self.add_buttons: list[QPushButton] = []
        for r, (label, editor, slot) in enumerate(rows):
            grid.addWidget(QLabel(label, page), r, 0)
            grid.addWidget(editor, r, 1)
            button = QPushButton("Добавить", page)
            button.clicked.connect(slot)
            grid.addWidget(button, r, 2)
            self.add_buttons.append(button)
        self.list_button = QPushButton("Педагоги из списка (поиск и фильтры)…", page)
        self.list_button.clicked.connect(self.add_from_teacher_list)
        role_row = QHBoxLayout()
        role_row.addWidget(QLabel("Роль добавляемых:", page))
        role_row.addWidget(self.role_combo)
        role_row.addStretch(1)
        role_row.addWidget(self.list_button)
        layout = QVBoxLayout(page)
        layout.addLayout(grid)
        layout.addLayout(role_row)
        layout.addWidget(self.attendance, 1)
        return page

    def _add(self, **ids) -> ep.AddResult | None:
        if self.attendance.is_dirty() and not self.attendance.save():
            self._say("Сначала исправьте отметки посещения: участники не добавлены.")
            return None
        try:
            result = ep.add_participants(self._service.db, self._service.actor, self.event_id,
                                         role=self.role_combo.currentData(), **ids)
        except ServiceError as exc:
            self._say(str(exc))
            return None
        self.attendance.reload()
        self._say(result.text(), done=True)
        if result.added:
            self._changed()
        return result

    def _ids_or_say(self, getter, editor: RefEditor, what: str) -> list[str] | None:
        if not editor.value():
            self._say(f"Выберите {what} из списка: начните вводить название и щёлкните подходящее.")
            return None
        try:
            ids = getter(self._service.db, editor.value())
        except ServiceError as exc:
            self._say(str(exc))
            return None
        if not ids:
            self._say(f"Не найдено ни одного педагога: {editor.text()}.")
            return None
        return ids

    @Slot()
    def add_teacher(self) -> ep.AddResult | None:
        if not self.teacher_ref.value():
            self._say("Выберите педагога из списка: начните вводить фамилию и щёлкните подходящего.")
            return None
        result = self._add(teacher_ids=[self.teacher_ref.value()])
        self.teacher_ref.set_record(None)
        return result

    @Slot()
    def add_organization_teachers(self) -> ep.AddResult | None:
        ids = self._ids_or_say(ep.teachers_of_organization, self.organization_ref, "организацию")
        return self._add(teacher_ids=ids) if ids else None

    @Slot()
    def add_community_members(self) -> ep.AddResult | None:
        ids = self._ids_or_say(ep.teachers_of_community, self.community_ref, "сообщество")
        return self._add(teacher_ids=ids) if ids else None

    @Slot()
    def add_organization(self) -> ep.AddResult | None:
        if not self.org_as_participant_ref.value():
            self._say("Выберите организацию из списка.")
            return None
        return self._add(organization_ids=[self.org_as_participant_ref.value()])

    @Slot()
    def add_from_teacher_list(self) -> ep.AddResult | None:
        ids = TeacherListPicker.ask(self, self._service)
        return self._add(teacher_ids=ids) if ids else None

    # -- organisers -----------------------------------------------------------
    def _organizers_tab(self) -> QWidget:
        page = QWidget(self)
        self.organizers_list = QListWidget(page)
        self.organizers_list.setObjectName("organizersList")
        self.organizer_ref = ref_editor(self._service, "event_organizers", "organization_id", page)
        add = QPushButton("Добавить организатора", page)
        add.clicked.connect(self.add_organizer)
        remove = QPushButton("Убрать выбранного", page)
        remove.clicked.connect(self.remove_organizer)
        row = QHBoxLayout()
        row.addWidget(self.organizer_ref, 1)
        row.addWidget(add)
        row.addWidget(remove)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Организации, проводящие мероприятие (одна или несколько):", page))
        layout.addWidget(self.organizers_list, 1)
        layout.addLayout(row)
        return page

    def reload_organizers(self) -> None:
        if hasattr(self, "summary_label") and self.summary_label.text():
            self._show_summary()
        self.organizers_list.clear()
        for org_id, name in ev.organizer_names(self._service.db, self.event_id):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, org_id)
            self.organizers_list.addItem(item)

    def organizer_names(self) -> list[str]:
        return [self.organizers_list.item(i).text() for i in range(self.organizers_list.count())]

    def _set_organizers(self, ids: list[str]) -> bool:
        try:
            ev.set_organizers(self._service.db, self._service.actor, self.event_id, ids)
        except ServiceError as exc:
            self._say(str(exc))
            return False
        self.reload_organizers()
        self._changed()
        return True

    @Slot()
    def add_organizer(self) -> bool:
        chosen = self.organizer_ref.value()
        if not chosen:
            self._say("Выберите организацию из списка: начните вводить название и щёлкните подходящую.")
            return False
        current = ev.organizer_ids(self._service.db, self.event_id)
        if chosen in current:
            self._say("Эта организация уже среди организаторов.")
            return False
        ok = self._set_organizers(current + [chosen])
        if ok:
            self.organizer_ref.set_record(None)
        return ok

    @Slot()
    def remove_organizer(self) -> bool:
        item = self.organizers_list.currentItem()
        if item is None:
            return False
        current = ev.organizer_ids(self._service.db, self.event_id)
        return self._set_organizers([i for i in current if i != item.data(Qt.ItemDataRole.UserRole)])

    # -- the series -------------------------------------------------------------
    def _series_tab(self) -> QWidget:
        page = QWidget(self)
        self.series_list = QListWidget(page)
        self.series_list.setObjectName("seriesList")
        self.series_list.itemDoubleClicked.connect(self._open_meeting)
        self.series_hint = QLabel(page)
        self.series_hint.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(self.series_hint)
        layout.addWidget(self.series_list, 1)
        return page

    def reload_series(self) -> None:
        meetings = ev.series_of(self._service.db, self.event_id)
        self.series_list.clear()
        for m in meetings:
            item = QListWidgetItem(("▶ " if m.id == self.event_id else "") + m.text())
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.series_list.addItem(item)
        self.series_hint.setText(
            f"Встреч в серии: {len(meetings)}. Двойной щелчок открывает встречу: у каждой свой лист посещения "
            "и свой протокол." if len(meetings) > 1 else
            "Мероприятие не входит в серию. Серию регулярных встреч (например, заседаний РМО) создаёт кнопка "
            "«Серия встреч…» в разделе «Мероприятия».")

    @Slot(QListWidgetItem)
    def _open_meeting(self, item: QListWidgetItem) -> None:
        meeting = item.data(Qt.ItemDataRole.UserRole)
        if meeting and meeting != self.event_id:
            EventCardDialog.open_card(self, self._service, meeting)
            self.attendance.reload()

    @classmethod
    def open_card(cls, parent: QWidget | None, service: RecordService, event_id: str) -> bool:
        """Shows the card modally; True when anything in the event changed."""
        try:
            dialog = cls(service, event_id, parent)
        except ServiceError as exc:
            from app.ui.common import messages

            messages.show_error(parent, str(exc))
            return False
        changed: list[str] = []
        dialog.changed.connect(changed.append)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
        return bool(changed)
