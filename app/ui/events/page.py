"""The Мероприятия list with a month calendar beside it and the event actions under it.

The event actions sit in ``actions_bar``; the buttons other features lend every list
(RecordPage.add_action: certificates of the selected event) stay under the table.
Opening an event (double click, Enter, «Изменить», a day in the calendar)
shows its card: participants and attendance, organisers, files, series.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget,
)

from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common import messages
from app.ui.events.calendar import EventCalendar
from app.ui.events.card import EventCardDialog
from app.ui.events.series_dialog import CopyEventDialog, SeriesDialog
from app.ui.common.documents import XLSX_FILTER, dated_name, save_path
from app.ui.common.flow_layout import FlowLayout
from app.ui.importing.dialog import ImportDialog
from app.ui.common.record_page import RecordPage
from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.section_types import Tab
from app.ui.common.task_runner import Task

PLAN_FILES = "events-plan"      # the kind of file whose folder the save dialog remembers


class EventPlanImportDialog(ImportDialog):
    """The common import dialog for the year plan; rows without a plan year get ``year``."""

    def __init__(self, db, year: int | None, parent: QWidget | None = None, *, actor=None):
        self.default_year = year
        super().__init__(db, "events", parent, actor=actor)

    def _detect(self, sheet, header_row) -> bool:
        ok = super()._detect(sheet, header_row)
        if self.plan is not None:
            self.plan.default_year = self.default_year
        return ok


class EventsPage(RecordPage):
    def __init__(self, service: RecordService, tab: Tab, parent: QWidget | None = None):
        super().__init__(service, tab, parent)
        self.card: EventCardDialog | None = None
        self.export_task: Task | None = None
        self.last_export: Path | None = None

        # The calendar goes beside the table, in the table's place in the layout.
        layout: QVBoxLayout = self.layout()
        index = layout.indexOf(self.table)
        layout.removeWidget(self.table)
        self.calendar = EventCalendar(service.db, self)
        self.calendar.event_activated.connect(self.open_card)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.calendar)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout.insertWidget(index, self.splitter, 1)

        # The actions wrap onto a second line in a narrow window instead of widening it.
        self.actions_widget = QWidget(self)
        self.actions_bar = FlowLayout(self.actions_widget, spacing=6, line_spacing=4)
        self.card_button = self._action("Карточка…", "Участники, посещение, организаторы, файлы (протокол)",
                                        self.open_selected_card)
        self.copy_button = self._action("Копировать…", "Копия выбранного мероприятия на другую дату",
                                        self.copy_selected)
        self.series_button = self._action("Серия встреч…", "Регулярные встречи (например, заседания РМО) "
                                                           "с листом посещения у каждой", self.create_series)
        year_box = QWidget(self.actions_widget)
        year_row = QHBoxLayout(year_box)
        year_row.setContentsMargins(8, 0, 0, 0)
        year_row.addWidget(QLabel("План на", year_box))
        self.year_spin = QSpinBox(year_box)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.year_spin.setToolTip("Год плана мероприятий для импорта и экспорта")
        year_row.addWidget(self.year_spin)
        self.actions_bar.addWidget(year_box)
        self.import_plan_button = self._action("Импорт плана…", "Загрузить план мероприятий из таблицы",
                                               self.import_plan)
        self.export_plan_button = self._action("Экспорт плана…", "Сохранить план мероприятий года в Excel",
                                               self.export_plan)
        layout.insertWidget(index + 1, self.actions_widget)
        self.model.modelReset.connect(self._update_event_buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_event_buttons())
        self.records_changed.connect(lambda _e: self.calendar.reload())
        self._update_event_buttons()

    def _action(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text, self.actions_widget)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        self.actions_bar.addWidget(button)
        return button

    def _update_event_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.card_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)

    def refresh(self, select_id: str | None = None) -> None:
        super().refresh(select_id)
        if hasattr(self, "calendar"):
            self.calendar.reload()

    # -- opening -----------------------------------------------------------------
    @Slot()
    def edit_selected(self) -> bool:
        record_id = self.selected_id()
        return self.open_card(record_id) if record_id else False

    @Slot(str)
    def open_card(self, event_id: str) -> bool:
        changed = EventCardDialog.open_card(self, self._service, event_id)
        if changed:
            self.after_change(event_id)
        return changed

    @Slot()
    def open_selected_card(self) -> bool:
        return self.edit_selected()

    # -- copy and series ------------------------------------------------------------
    @Slot()
    def copy_selected(self) -> str | None:
        record_id = self.selected_id()
        if record_id is None:
            return None
        dialog = CopyEventDialog(self._service, record_id, self)
        try:
            dialog.exec()
            new_id = dialog.new_id
        finally:
            dialog.deleteLater()
        if new_id:
            self.after_change(new_id)
        return new_id

    @Slot()
    def create_series(self) -> list[str]:
        template = self._service.get("events", self.selected_id()) if self.selected_id() else None
        dialog = SeriesDialog(self._service, self, template)
        try:
            dialog.exec()
            ids = list(dialog.new_ids)
        finally:
            dialog.deleteLater()
        if ids:
            self.after_change(ids[0])
        return ids

    # -- the year plan ----------------------------------------------------------------
    @Slot()
    def import_plan(self) -> bool:
        path = ImportDialog.choose_file(self)
        if not path:
            return False
        dialog = EventPlanImportDialog(self._service.db, self.year_spin.value(), self, actor=self._service.actor)
        try:
            dialog.open_file(path)
            dialog.exec()
            result = dialog.import_result
        finally:
            dialog.deleteLater()
        if result is None or not result.committed:
            return False
        self.after_change()
        return True

    @staticmethod
    def choose_export_path(parent: QWidget, suggested: str) -> str | None:
        """Asks where to save the plan (``suggested``: a file name); None if cancelled. Tests replace it."""
        return save_path(parent, "Сохранение плана мероприятий", suggested, XLSX_FILTER, PLAN_FILES, extension="xlsx")

    @Slot()
    def export_plan(self) -> Task | None:
        """Writes the year's plan to .xlsx in the background, with a progress window."""
        year = self.year_spin.value()
        path = self.choose_export_path(self, dated_name(f"План мероприятий на {year} год", "xlsx"))
        if not path:
            return None
        db = self._service.db

        def work(progress, is_cancelled):
            from app.export.events_plan_xlsx import export_plan

            progress(0.1, f"Выгрузка плана на {year} год…")
            return export_plan(db, year, path)

        task = Task(work, self)
        task.succeeded.connect(self._on_exported)
        task.failed.connect(lambda exc: messages.show_error(
            self, str(exc) if isinstance(exc, ServiceError) else f"План не сохранён: {exc}"))
        self.export_task = task
        TaskProgressDialog(task, "Экспорт плана", f"Экспорт плана мероприятий на {year} год…", self).show()
        task.start()
        return task

    @Slot(object)
    def _on_exported(self, result) -> None:
        path, n = result
        self.last_export = Path(path)
        self.notice_label.setText(f"План сохранён: {path} (мероприятий: {n}).")
        self.notice_label.show()
