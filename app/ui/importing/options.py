"""What a diagnostics import needs besides the columns: the date and the instrument for rows without their own.

A group's results usually come as one sheet per diagnostic session: a row per
teacher, a column per competence, and the date and the instrument written
once above the table or known to the methodist. These two fields give them to
every row that has no «Дата диагностики» / «Инструмент» column value.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.domain.validators import ValidationError, parse_date
from app.services.common.fields import DATE, Field
from app.ui.common.field_editors import DateEditor

DATE_FIELD = Field("default_date", "Дата диагностики", DATE)


class DiagnosticsImportOptions(QWidget):
    """«Дата по умолчанию» and «Инструмент по умолчанию» of the diagnostics import."""

    changed = Signal()

    def __init__(self, instruments: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.date_editor = DateEditor(DATE_FIELD, self)
        self.date_editor.setObjectName("defaultDate")
        self.date_editor.setToolTip("Дата для строк, в которых нет своей даты диагностики")
        self.date_editor.set_value(date.today())
        self.instrument_combo = QComboBox(self)
        self.instrument_combo.setObjectName("defaultInstrument")
        self.instrument_combo.setEditable(True)
        self.instrument_combo.addItems(instruments)
        self.instrument_combo.setCurrentIndex(-1)
        self.instrument_combo.setMinimumWidth(320)
        self.instrument_combo.lineEdit().setPlaceholderText("например: «Диагностика ЦНППМ, 2025»")
        self.instrument_combo.setToolTip("Инструмент (методика) для строк, в которых он не указан; "
                                         "список — инструменты уже проведённых диагностик")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setStyleSheet("color: #a12622;")
        self.error_label.hide()
        date_caption = QLabel("Дата &по умолчанию:", self)
        date_caption.setBuddy(self.date_editor)
        instrument_caption = QLabel("&Инструмент по умолчанию:", self)
        instrument_caption.setBuddy(self.instrument_combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(date_caption)
        layout.addWidget(self.date_editor)
        layout.addSpacing(18)
        layout.addWidget(instrument_caption)
        layout.addWidget(self.instrument_combo, 1)
        layout.addWidget(self.error_label)
        self.date_editor.changed.connect(self._on_changed)
        self.instrument_combo.editTextChanged.connect(lambda _t: self.changed.emit())

    def default_date(self) -> date | None:
        """The typed date, or None while it is empty or not a date (the error is shown)."""
        text = self.date_editor.value().strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValidationError:
            return None

    def is_valid(self) -> bool:
        """False while the typed date is not a date: the import must not quietly do without it."""
        return not self.date_editor.value().strip() or self.default_date() is not None

    def default_instrument(self) -> str:
        return self.instrument_combo.currentText().strip()

    def set_values(self, held_on: date | None, instrument: str) -> None:
        self.date_editor.set_value(held_on)
        self.instrument_combo.setEditText(instrument)

    @Slot()
    def _on_changed(self) -> None:
        text = self.date_editor.value().strip()
        bad = bool(text) and self.default_date() is None
        self.error_label.setText(f"«{text}» не является датой (дд.мм.гггг)" if bad else "")
        self.error_label.setVisible(bad)
        self.changed.emit()
