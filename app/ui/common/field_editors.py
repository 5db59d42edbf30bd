"""One editor per field kind, all with the same small interface the record form relies on.

``value()`` is what goes to RecordService (typed text, an enum code, a record
id, a bool) — the service normalises and checks it, so the form holds no rules
of its own; ``set_value()`` takes a stored value; ``changed`` fires on every
edit; ``local_error()`` is a problem only the widget can see (a name typed in
a lookup but not picked from its list).
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCalendarWidget, QCheckBox, QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QMenu, QPlainTextEdit,
    QSizePolicy, QToolButton, QVBoxLayout, QWidget, QWidgetAction,
)

from app.domain.validators import ValidationError, format_date, parse_date
from app.services.registry.specs import spec_for
from app.services.common.errors import ServiceError
from app.services.common.fields import (
    BOOL, DATE, EMAIL, ENUM, FLOAT, INN, INT, KPP, LONG_TEXT, OGRN, PHONE, REF, SNILS, Field,
)
from app.services.registry.service import RecordService, ref_key
from app.ui.common.extension_points import FIELD_EDITORS
from app.ui.common.icons import calendar_icon
from app.ui.common.record_text import record_hint, record_label, value_text

log = logging.getLogger(__name__)

# The colour of what is wrong with a field, and of the mark of a required one.
ERROR_COLOR = "#a12622"
LOOKUP_DELAY_MS = 200
LOOKUP_LIMIT = 30
# Entities without a search key are read this far and narrowed here.
LOOKUP_SCAN_LIMIT = 500
LONG_TEXT_LINES = 4

ID_ROLE = Qt.ItemDataRole.UserRole
LABEL_ROLE = Qt.ItemDataRole.UserRole + 1

PLACEHOLDERS = {
    SNILS: "123-456-789 01", INN: "10 или 12 цифр", OGRN: "13 или 15 цифр", KPP: "9 цифр",
    EMAIL: "name@example.ru", PHONE: "+7 912 345-67-89", DATE: "дд.мм.гггг",
}


class LineEditor(QLineEdit):
    """Text, names, identifiers, contacts and numbers: typed as text, checked by the service."""

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setPlaceholderText(PLACEHOLDERS.get(field.kind, ""))
        if field.kind in (INT, FLOAT):
            self.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.setMaximumWidth(160)
        elif field.kind in (SNILS, INN, OGRN, KPP, PHONE):
            self.setMaximumWidth(240)
        self.textChanged.connect(lambda _t: self.changed.emit())

    def value(self) -> str:
        return self.text()

    def set_value(self, value: Any, record: dict | None = None) -> None:
        self.setText(value_text(value))

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return not self.text().strip()


class LongTextEditor(QPlainTextEdit):
    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * LONG_TEXT_LINES + 14)
        self.textChanged.connect(self.changed.emit)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, value: Any, record: dict | None = None) -> None:
        self.setPlainText(value_text(value))

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return not self.toPlainText().strip()


class DateEditor(QWidget):
    """A date typed as дд.мм.гггг (or picked in a calendar); empty is allowed where the field allows it."""

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(PLACEHOLDERS[DATE])
        self.line.setMaximumWidth(130)
        self.line.textChanged.connect(lambda _t: self.changed.emit())
        self.calendar_button = QToolButton(self)
        self.calendar_button.setIcon(calendar_icon())
        self.calendar_button.setIconSize(QSize(16, 16))
        self.calendar_button.setToolTip("Выбрать дату в календаре")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.show_calendar)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line)
        layout.addWidget(self.calendar_button)
        layout.addStretch(1)
        self.setFocusProxy(self.line)

    def value(self) -> str:
        return self.line.text()

    def set_value(self, value: Any, record: dict | None = None) -> None:
        self.line.setText(format_date(value) if isinstance(value, date) else value_text(value))

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return not self.line.text().strip()

    @Slot()
    def show_calendar(self) -> None:
        try:
            current = parse_date(self.line.text())
        except ValidationError:
            current = date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self._menu.popup(self.calendar_button.mapToGlobal(self.calendar_button.rect().bottomLeft()))

    @Slot(QDate)
    def _pick(self, day: QDate) -> None:
        self.line.setText(format_date(date(day.year(), day.month(), day.day())))
        self._menu.hide()
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)


class EnumEditor(QComboBox):
    """The Russian labels; the value is the stored code.

    An empty first item is offered only while the value is empty (a new
    record): a stored choice can be changed but not cleared.
    """

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addItem("— выберите —" if field.required else "—", "")
        for code, label in field.enum.choices():
            self.addItem(label, code)
        self.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def value(self) -> str:
        return self.currentData() or ""

    def set_value(self, value: Any, record: dict | None = None) -> None:
        code = value_text(value)
        index = self.findData(code) if code else 0
        if index < 0:
            # A code this version does not know (from a newer sync package): keep and show it.
            self.addItem(code, code)
            index = self.count() - 1
        self.setCurrentIndex(index)
        if code and self.itemData(0) == "":
            self.removeItem(0)

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return not self.value()


class BoolEditor(QCheckBox):
    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.toggled.connect(lambda _on: self.changed.emit())

    def value(self) -> bool:
        return self.isChecked()

    def set_value(self, value: Any, record: dict | None = None) -> None:
        self.setChecked(bool(value))

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return False


class RefEditor(QWidget):
    """A link to another record: type part of its name, pick it from the list; the value is its id.

    The list is a service search limited to a few dozen matches, so it stays
    quick over 100,000 teachers.
    """

    changed = Signal()
    searched = Signal(int)          # matches found by the last search (tests wait on it)

    def __init__(self, service: RecordService, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.target = field.ref
        self._service = service
        self._id: str | None = None
        self._label = ""

        self.line = QLineEdit(self)
        self.line.setClearButtonEnabled(True)
        self.line.setPlaceholderText("Начните вводить фамилию…" if self.target == "teachers"
                                     else "Начните вводить название…")
        self.browse_button = QToolButton(self)
        self.browse_button.setText("▾")
        self.browse_button.setToolTip("Показать список")
        self.browse_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browse_button.clicked.connect(lambda: self.search(self.line.text() if self._id is None else ""))
        self.matches = QStandardItemModel(self)
        self.completer = QCompleter(self.matches, self)
        self.completer.setWidget(self.line)
        # The service has already chosen the matches; the popup shows them as they are.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCompletionRole(LABEL_ROLE)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated[QModelIndex].connect(self._on_activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(LOOKUP_DELAY_MS)
        self._timer.timeout.connect(lambda: self.search(self.line.text()))
        self.line.textEdited.connect(self._on_edited)
        self.line.textChanged.connect(self._on_text_changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.browse_button)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.line)

    # -- the editor interface ----------------------------------------------
    def value(self) -> str:
        return self._id or ""

    def set_value(self, value: Any, record: dict | None = None) -> None:
        self._id = str(value) if value else None
        label = value_text((record or {}).get(ref_key(self.field.name))) if value else ""
        self._label = label
        self.line.setText(label)

    def local_error(self) -> str | None:
        if self.line.text().strip() and self._id is None:
            return "выберите запись из списка: начните вводить и щёлкните подходящую"
        return None

    def is_blank(self) -> bool:
        return self._id is None and not self.line.text().strip()

    def text(self) -> str:
        return self.line.text()

    # -- searching -------------------------------------------------------
    def search(self, text: str) -> int:
        """Fills the list with the records matching ``text`` and opens it; the number found."""
        self._timer.stop()
        found = self._lookup(text.strip())
        self.matches.clear()
        for record_id, label, hint in found:
            item = QStandardItem(f"{label}  —  {hint}" if hint else label)
            item.setData(record_id, ID_ROLE)
            item.setData(label, LABEL_ROLE)
            item.setToolTip(f"{label}\n{hint}" if hint else label)
            self.matches.appendRow(item)
        if not found:
            item = QStandardItem("Ничего не найдено" if text.strip() else "Список пуст")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setData("", LABEL_ROLE)
            self.matches.appendRow(item)
        if self.isVisible():
            self.completer.complete()
        self.searched.emit(len(found))
        return len(found)

    def match_labels(self) -> list[str]:
        return [self.matches.item(r).data(LABEL_ROLE) for r in range(self.matches.rowCount())
                if self.matches.item(r).data(ID_ROLE)]

    def choose(self, row: int) -> None:
        """Takes the ``row``-th match, as a click in the list does."""
        self._on_activated(self.matches.index(row, 0))

    def set_record(self, record_id: str | None, label: str = "") -> None:
        self._id = record_id or None
        self._label = label if record_id else ""
        self.line.setText(self._label)
        self.changed.emit()

    def _lookup(self, text: str) -> list[tuple[str, str, str]]:
        try:
            rows = self._service.list(self.target, search=text or None, limit=LOOKUP_LIMIT).rows
        except ServiceError:
            rows = []
        if text and not spec_for(self.target).searchable:
            # The service searches such a record only by what it refers to (a route by its
            # teacher); its own words (an instrument, a date) are matched here on a page of it.
            seen = {r["id"] for r in rows}
            needle = _fold(text)
            rows += [r for r in self._service.list(self.target, limit=LOOKUP_SCAN_LIMIT).rows
                     if r["id"] not in seen
                     and needle in _fold(f"{record_label(self.target, r)} {record_hint(self.target, r)}")]
            rows = rows[:LOOKUP_LIMIT]
        out = []
        for row in rows:
            label = record_label(self.target, row)
            if not label:
                # An organisation without a short name: the list row lacks the full one.
                label = record_label(self.target, self._service.get(self.target, row["id"]))
            out.append((row["id"], label, record_hint(self.target, row)))
        return out

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        record_id = index.data(ID_ROLE)
        if not record_id:
            return
        self.completer.popup().hide()
        self.set_record(record_id, index.data(LABEL_ROLE))

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        if text != self._label:
            self._id = None
        self._timer.start()

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if self._id is not None and text != self._label:
            self._id = None
        if not text:
            self._label = ""
        self.changed.emit()


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


Editor = LineEditor | LongTextEditor | DateEditor | EnumEditor | BoolEditor | RefEditor


def make_editor(service: RecordService, field: Field, parent: QWidget | None = None) -> Editor:
    special = FIELD_EDITORS.get(field.name)
    if special is not None:
        return special(field, parent)
    if field.kind == LONG_TEXT:
        return LongTextEditor(field, parent)
    if field.kind == DATE:
        return DateEditor(field, parent)
    if field.kind == ENUM:
        return EnumEditor(field, parent)
    if field.kind == BOOL:
        return BoolEditor(field, parent)
    if field.kind == REF:
        return RefEditor(service, field, parent)
    return LineEditor(field, parent)


def error_label(parent: QWidget) -> QLabel:
    """The line under a field that says what is wrong with it; hidden while nothing is."""
    error = QLabel(parent)
    error.setObjectName("fieldError")
    error.setStyleSheet(f"color: {ERROR_COLOR};")
    error.setWordWrap(True)
    error.hide()
    return error


def editor_cell(parent: QWidget, editor: QWidget, error: QLabel) -> QWidget:
    """The editor with its error line under it, as one cell of a form row."""
    cell = QWidget(parent)
    cell_layout = QVBoxLayout(cell)
    cell_layout.setContentsMargins(0, 0, 0, 0)
    cell_layout.setSpacing(2)
    cell_layout.addWidget(editor)
    cell_layout.addWidget(error)
    return cell
