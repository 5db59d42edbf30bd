"""The participants of an event as an attendance sheet: role, attendance and hours per row, saved at once.

Nothing is written while the user marks rows; «Сохранить отметки» sends the
changed rows to ``save_attendance`` as one transaction, which also puts the
attended event into each teacher's route.
"""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from app.domain import enums as E
from app.services.events import participants as ep
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService

COLUMNS = ("Участник", "Организация", "Роль", "Посещение", "Часы")
NAME, ORGANIZATION, ROLE, ATTENDANCE, HOURS = range(5)


class AttendanceSheet(QWidget):
    """The table of participants with a combo for role and attendance and a spin box for hours."""

    saved = Signal(int)                 # how many participations changed

    def __init__(self, service: RecordService, event_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self.event_id = event_id
        self.rows: list[ep.ParticipantRow] = []
        self.event_hours = float(service.get("events", event_id).get("hours") or 0)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("attendanceTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ORGANIZATION, QHeaderView.ResizeMode.Stretch)
        self.all_present_button = QPushButton("Все присутствовали", self)
        self.all_present_button.setToolTip("Отметить «Присутствовал» у всех, кто ещё не отмечен")
        self.all_present_button.clicked.connect(self.mark_unknown_present)
        self.remove_button = QPushButton("Убрать из списка", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.save_button = QPushButton("Сохранить отметки", self)
        self.save_button.setObjectName("saveAttendanceButton")
        self.save_button.setToolTip("Записать роли, посещение и часы одним действием; отмеченные "
                                    "«Присутствовал» появятся в маршрутах педагогов")
        self.save_button.clicked.connect(self.save)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("hintLabel")
        self.status_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.all_present_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.reload()

    # -- reading -------------------------------------------------------------
    def reload(self) -> None:
        self.rows = ep.participants(self._service.db, self.event_id)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for column, text in ((NAME, row.name), (ORGANIZATION, row.organization)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, column, item)
            self.table.setCellWidget(r, ROLE, self._combo(E.ParticipationRole, row.role))
            attendance = self._combo(E.Attendance, row.attendance)
            attendance.currentIndexChanged.connect(lambda _i, r=r: self._credit_hours(r))
            self.table.setCellWidget(r, ATTENDANCE, attendance)
            spin = QDoubleSpinBox(self.table)
            spin.setRange(0, 10_000)
            spin.setDecimals(1)
            spin.setValue(row.hours)
            spin.valueChanged.connect(self._update_state)
            self.table.setCellWidget(r, HOURS, spin)
        self.table.resizeColumnToContents(ROLE)
        self.table.resizeColumnToContents(ATTENDANCE)
        self._update_state()

    def _combo(self, enum, value: str) -> QComboBox:
        combo = QComboBox(self.table)
        for code, label in enum.choices():
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(value)))
        combo.currentIndexChanged.connect(self._update_state)
        return combo

    def row_count(self) -> int:
        return self.table.rowCount()

    def names(self) -> list[str]:
        return [row.name for row in self.rows]

    def attendance_combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, ATTENDANCE)

    def role_combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, ROLE)

    def hours_spin(self, row: int) -> QDoubleSpinBox:
        return self.table.cellWidget(row, HOURS)

    # -- changing --------------------------------------------------------------
    def set_attendance(self, row: int, code: str) -> None:
        combo = self.attendance_combo(row)
        combo.setCurrentIndex(combo.findData(code))

    def changes(self) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for r, row in enumerate(self.rows):
            now = {"role": self.role_combo(r).currentData(), "attendance": self.attendance_combo(r).currentData(),
                   "hours": round(self.hours_spin(r).value(), 1)}
            was = {"role": row.role, "attendance": row.attendance, "hours": round(row.hours, 1)}
            diff = {k: v for k, v in now.items() if v != was[k]}
            if diff:
                out[row.id] = diff
        return out

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def _credit_hours(self, row: int) -> None:
        """Marked present with no hours yet: the event's hours are credited (the user may change them)."""
        spin = self.hours_spin(row)
        if (spin is not None and self.attendance_combo(row).currentData() == E.Attendance.PRESENT.value
                and spin.value() == 0):
            spin.setValue(self.event_hours)

    @Slot()
    def mark_unknown_present(self) -> None:
        for r in range(self.row_count()):
            if self.attendance_combo(r).currentData() == E.Attendance.UNKNOWN.value:
                self.set_attendance(r, E.Attendance.PRESENT.value)

    @Slot()
    def save(self) -> bool:
        changes = self.changes()
        if not changes:
            return True
        try:
            n = ep.save_attendance(self._service.db, self._service.actor, self.event_id, changes)
        except ServiceError as exc:
            self.status_label.setText(str(exc))
            return False
        self.reload()
        self.status_label.setText(f"Сохранено отметок: {n}.")
        self.saved.emit(n)
        return True

    @Slot()
    def remove_selected(self) -> int:
        chosen = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not chosen:
            return 0
        try:
            n = ep.remove_participants(self._service.db, self._service.actor, self.event_id,
                                       [self.rows[r].id for r in chosen])
        except ServiceError as exc:
            self.status_label.setText(str(exc))
            return 0
        self.reload()
        self.status_label.setText(f"Убрано из списка участников: {n}.")
        self.saved.emit(n)
        return n

    @Slot()
    def _update_state(self) -> None:
        n = len(self.changes())
        self.save_button.setEnabled(n > 0)
        present = sum(1 for r in range(self.row_count())
                      if self.attendance_combo(r).currentData() == E.Attendance.PRESENT.value)
        text = f"Участников: {self.row_count()}; присутствовали: {present}."
        if n:
            text += f" Несохранённых изменений: {n}."
        self.status_label.setText(text)
