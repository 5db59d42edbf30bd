"""The tables of the teacher card: their columns, and a pane that says so when a table is empty."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from app.domain import enums as E
from app.domain.validators import format_date
from app.ui.common.column_fitting import fit_columns
from app.ui.common.record_text import value_text
from app.ui.common.record_table import read_only_table
from app.ui.common.rows_table_model import CardColumn, RowsTableModel

EMPTY = "—"
# A long kind said short in a narrow column; the cell's tooltip gives the full name.
SHORT_KINDS = {E.ItemKind.PROGRAMME.value: "Программа ПК"}


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    if end is None or end == start:
        return format_date(start)
    return f"{format_date(start)} – {format_date(end)}"


def number_text(x: float) -> str:
    return value_text(float(x))


TRAJECTORY_COLUMNS = (
    CardColumn("Период", lambda r: period_text(r.period_start, r.period_end)),
    CardColumn("Статус", lambda r: r.status_label),
    CardColumn("Цели", lambda r: r.goals, stretch=True),
    CardColumn("Дефициты", lambda r: ", ".join(r.deficits)),
    CardColumn("Элементов", lambda r: len(r.items), numeric=True),
    CardColumn("Выполнено", lambda r: r.completed_items, numeric=True),
)
ITEM_COLUMNS = (
    CardColumn("Вид", lambda i: SHORT_KINDS.get(i.kind, i.kind_label)),
    CardColumn("Наименование", lambda i: i.title, stretch=True),
    CardColumn("Форма", lambda i: i.formality_label),
    CardColumn("Состояние", lambda i: i.status_label),
    CardColumn("По плану", lambda i: i.planned_end or i.planned_start),
    CardColumn("Факт", lambda i: i.actual_end),
    CardColumn("Часы", lambda i: i.hours or None, numeric=True),
    CardColumn("З.е.", lambda i: i.credits or None, numeric=True),
    CardColumn("Документ", lambda i: " от ".join(p for p in (i.document_number, format_date(i.document_date)) if p)),
)
PARTICIPATION_COLUMNS = (
    CardColumn("Дата", lambda p: period_text(p.starts_on, p.ends_on)),
    CardColumn("Мероприятие", lambda p: p.event_title, stretch=True),
    CardColumn("Вид", lambda p: p.event_kind_label),
    CardColumn("Роль", lambda p: p.role_label),
    CardColumn("Посещение", lambda p: p.attendance_label),
    CardColumn("Часы", lambda p: p.hours or None, numeric=True),
    CardColumn("Сертификат", lambda p: p.certificate_number),
)
MATERIAL_COLUMNS = (
    CardColumn("Название", lambda m: m.title, stretch=True),
    CardColumn("Вид", lambda m: m.kind_label),
    CardColumn("Предмет", lambda m: m.subject),
    CardColumn("Статус", lambda m: m.status_label),
    CardColumn("Подан", lambda m: m.submitted_on),
    CardColumn("Соавторы", lambda m: ", ".join(m.co_authors)),
)
DIAGNOSTIC_COLUMNS = (
    CardColumn("Дата", lambda d: d.held_on),
    CardColumn("Методика", lambda d: d.instrument),
    CardColumn("Выявленные дефициты", lambda d: ", ".join(d.deficits) or "не выявлены", stretch=True),
    CardColumn("Компетенций", lambda d: d.results, numeric=True),
    CardColumn("Средний балл, %", lambda d: number_text(d.average_percent) if d.average_percent is not None
               else None, numeric=True),
)
CREDIT_COLUMNS = (
    CardColumn("Год", lambda y: str(y.year) if y.year is not None else "без даты"),
    CardColumn("Выполнено элементов", lambda y: y.items, numeric=True),
    CardColumn("Часы", lambda y: number_text(y.hours), numeric=True),
    CardColumn("Зачётные единицы", lambda y: number_text(y.credits), numeric=True),
)


# The full text behind a cell said short: (columns, label) → the row's full text.
FULL_TEXTS = {("Вид", ITEM_COLUMNS): lambda i: i.kind_label}


class CardTableModel(RowsTableModel):
    """A card's rows; a cell said short (SHORT_KINDS) has its full text as the tooltip."""

    def __init__(self, columns, rows=(), parent=None):
        super().__init__(columns, rows, parent)
        self._full = {n: full for (label, owner), full in FULL_TEXTS.items() if owner is columns
                      for n, c in enumerate(columns) if c.label == label}

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        full = self._full.get(index.column()) if index.isValid() else None
        if role == Qt.ItemDataRole.ToolTipRole and full is not None and index.row() < self.rowCount():
            text = full(self.row_object(index.row()))
            return text if text != self.text(index.row(), index.column()) else None
        return super().data(index, role)


def card_table(model: RowsTableModel, parent: QWidget) -> QTableView:
    table = read_only_table(model, parent)
    # A column of long text takes the width left; without one, a last text column does.
    table.horizontalHeader().setStretchLastSection(
        not any(c.stretch for c in model.columns) and not model.columns[-1].numeric)
    return table


class TablePane(QWidget):
    """A table, or a quiet sentence when there is nothing to list."""

    def __init__(self, model: RowsTableModel, empty_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._fitted = False
        self.table = card_table(model, self)
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setObjectName("hintLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows) -> None:
        self.model.set_rows(rows)
        self.empty_label.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self._fitted = False
        if rows and self.table.isVisible():
            fit_columns(self.table)
            self._fitted = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Only a shown table knows its width; fit after the layout has given it one.
        if not self._fitted and self.model.rowCount():
            self._fitted = True
            QTimer.singleShot(0, self, lambda: fit_columns(self.table))
