"""A month calendar of events beside the list: days with events stand out, a click lists that day's events."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.validators import format_date
from app.services.events import events as ev
from app.services.common.errors import ServiceError

BUSY_COLOR = QColor("#dbe8f7")


def _py(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


DAY_LIST_MIN_HEIGHT = 44


class EventCalendar(QWidget):
    """Emits ``event_activated(id)`` when an event of the chosen day is double-clicked (or Enter)."""

    event_activated = Signal(str)

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.by_day: dict[date, list[ev.CalendarEvent]] = {}
        self._marked: list[QDate] = []
        self.calendar = QCalendarWidget(self)
        self.calendar.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
        self.calendar.setObjectName("eventCalendar")
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.day_label = QLabel(self)
        self.day_label.setObjectName("hintLabel")
        self.day_list = QListWidget(self)
        self.day_list.setObjectName("dayEvents")
        self.day_list.setWordWrap(True)
        # Two lines at the least: the list takes the rest of the height, and a 1280×720 screen
        # (1920×1080 at 150 %) must show the page whole.
        self.day_list.setMinimumHeight(DAY_LIST_MIN_HEIGHT)
        self.day_list.itemActivated.connect(self._activate)
        self.day_list.itemDoubleClicked.connect(self._activate)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.reload())
        self.calendar.selectionChanged.connect(self.show_day)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addWidget(self.day_label)
        layout.addWidget(self.day_list, 1)

    def shown_month(self) -> tuple[int, int]:
        return self.calendar.yearShown(), self.calendar.monthShown()

    def go_to(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setCurrentPage(day.year, day.month)
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Re-reads the month on screen and marks its days with events."""
        year, month = self.shown_month()
        try:
            self.by_day = ev.month_calendar(self._db, year, month)
        except ServiceError as exc:
            self.by_day = {}
            self.day_label.setText(str(exc))
        plain = QTextCharFormat()
        for qday in self._marked:
            self.calendar.setDateTextFormat(qday, plain)
        self._marked = []
        busy = QTextCharFormat()
        busy.setBackground(QBrush(BUSY_COLOR))
        busy.setFontWeight(QFont.Weight.Bold)
        for day, items in self.by_day.items():
            qday = QDate(day.year, day.month, day.day)
            fmt = QTextCharFormat(busy)
            fmt.setToolTip("\n".join(e.title for e in items))
            self.calendar.setDateTextFormat(qday, fmt)
            self._marked.append(qday)
        self.show_day()

    def busy_days(self) -> list[date]:
        return sorted(self.by_day)

    @Slot()
    def show_day(self) -> None:
        day = _py(self.calendar.selectedDate())
        items = self.by_day.get(day, [])
        self.day_list.clear()
        for e in items:
            item = QListWidgetItem(e.text())
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            item.setToolTip(e.text())
            self.day_list.addItem(item)
        self.day_label.setText(f"{format_date(day)}: мероприятий — {len(items)}" if items
                               else f"{format_date(day)}: мероприятий нет")

    def day_titles(self) -> list[str]:
        return [self.day_list.item(i).text() for i in range(self.day_list.count())]

    def select_day(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    @Slot(QListWidgetItem)
    def _activate(self, item: QListWidgetItem) -> None:
        event_id = item.data(Qt.ItemDataRole.UserRole)
        if event_id:
            self.event_activated.emit(event_id)

    def open_row(self, row: int) -> None:
        """Opens the ``row``-th event of the chosen day, as a double click does."""
        item = self.day_list.item(row)
        if item is not None:
            self._activate(item)
