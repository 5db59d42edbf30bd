"""Read-only report tabs of «Повышение квалификации»: who is due (the three-year rule),
coverage per organisation, young teachers without a mentor.

Each tab reads its service function the first time it is shown, on «Обновить»,
and again when shown after data changed. A double click on a teacher opens the
teacher's card.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget

from app.domain import rules
from app.domain.validators import format_date
from app.domain.wording import plural
from app.services.development import (
    CoverageRow, DueRow, YoungRow, coverage_by_organization, coverage_total, pd_due_list, young_without_mentor,
)
from app.services.common.errors import ServiceError
from app.services.registry.service import RecordService
from app.ui.common.highlights import ALARM_BACKGROUND, ALARM_TEXT, WARNING_BACKGROUND, WARNING_TEXT
from app.ui.common.record_table import read_only_table
from app.ui.common.rows_table_model import CardColumn, RowsTableModel
from app.ui.registry.teacher_card_dialog import TeacherCardDialog
from app.ui.common.column_fitting import fit_columns

DEFAULT_WITHIN_MONTHS = 6
MAX_WITHIN_MONTHS = 36
TOTAL_LABEL = "Итого"

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RowStyle:
    background: str | None = None
    foreground: str | None = None
    bold: bool = False
    tooltip: str | None = None


class StyledRowsModel(RowsTableModel):
    """RowsTableModel whose rows may be coloured or bold, by a function of the row object."""

    def __init__(self, columns: Sequence[CardColumn], style: Callable[[Any], RowStyle | None],
                 rows: Sequence[Any] = (), parent=None):
        super().__init__(columns, rows, parent)
        self._style = style

    def row_style(self, row: int) -> RowStyle | None:
        return self._style(self.row_object(row))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole):
            if not index.isValid() or index.row() >= self.rowCount() or index.column() >= self.columnCount():
                return None
            style = self.row_style(index.row())
            if style is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole and style.background:
                return QBrush(QColor(style.background))
            if role == Qt.ItemDataRole.ForegroundRole and style.foreground:
                return QBrush(QColor(style.foreground))
            if role == Qt.ItemDataRole.FontRole and style.bold:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.row() < self.rowCount():
            style = self.row_style(index.row())
            if style is not None and style.tooltip:
                return style.tooltip
        return super().data(index, role)


# -- columns and styles ----------------------------------------------------------------------------

def _last_pd(r: DueRow) -> str:
    return format_date(r.last_pd_on) if r.last_pd_on is not None else "нет"


def _basis_note(r: DueRow) -> str:
    if r.last_pd_on is not None:
        return f"последнее повышение квалификации — {format_date(r.last_pd_on)}"
    return f"повышений квалификации не отмечено; отсчёт от: {r.basis_label}, {format_date(r.base_date)}"


DUE_COLUMNS = (
    CardColumn("ФИО", lambda r: r.full_name),
    CardColumn("Организация", lambda r: r.organization, stretch=True),
    CardColumn("Последнее ПК", _last_pd),
    CardColumn("Срок", lambda r: r.due_on),
    CardColumn("Статус", lambda r: r.status_label),
    CardColumn("Дней осталось", lambda r: r.days_left, numeric=True),
)


def due_style(r: DueRow) -> RowStyle | None:
    if r.status == rules.PdStatus.OVERDUE.value:
        return RowStyle(ALARM_BACKGROUND, ALARM_TEXT,
                        tooltip=f"Срок повышения квалификации прошёл {format_date(r.due_on)} ({_basis_note(r)})")
    if r.status == rules.PdStatus.DUE_SOON.value:
        return RowStyle(WARNING_BACKGROUND, WARNING_TEXT,
                        tooltip=f"Пройти повышение квалификации не позднее {format_date(r.due_on)} ({_basis_note(r)})")
    return None


COVERAGE_COLUMNS = (
    CardColumn("Организация", lambda r: r.organization, stretch=True),
    CardColumn("Педагогов", lambda r: r.teachers, numeric=True),
    CardColumn("Прошли ПК в срок", lambda r: r.covered, numeric=True),
    CardColumn("Охват, %", lambda r: r.percent_covered, numeric=True),
    CardColumn("Срок скоро", lambda r: r.due_soon, numeric=True),
    CardColumn("Просрочено", lambda r: r.overdue, numeric=True),
    CardColumn("Нет данных", lambda r: r.unknown, numeric=True),
)


def _mentoring(r: YoungRow) -> str:
    parts = []
    if r.mentorship_ended_on is not None:
        parts.append(f"завершилось {format_date(r.mentorship_ended_on)}")
    if r.mentorship_planned_from is not None:
        parts.append(f"запланировано с {format_date(r.mentorship_planned_from)}")
    return "; ".join(parts) or "не было"


YOUNG_COLUMNS = (
    CardColumn("ФИО", lambda r: r.full_name),
    CardColumn("Организация", lambda r: r.organization, stretch=True),
    CardColumn("Должность", lambda r: r.position),
    CardColumn("Возраст", lambda r: r.age, numeric=True),
    CardColumn("Стаж, лет", lambda r: r.experience_years, numeric=True),
    CardColumn("Молодой педагог", lambda r: ", ".join(r.reasons)),
    CardColumn("Наставничество", _mentoring),
)


# -- the tabs ----------------------------------------------------------------------------------

def _report_table(model: RowsTableModel, parent: QWidget) -> QTableView:
    table = read_only_table(model, parent)
    table.horizontalHeader().setStretchLastSection(False)
    return table


class ReportTab(QWidget):
    """A read-only report: a hint, «Обновить», a table and a count. Subclasses say what to read."""

    key = ""
    label = ""
    hint = ""
    columns: tuple[CardColumn, ...] = ()
    opens_teachers = True
    records_changed = Signal(str)

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self._service = service
        self._stale = True
        self._columns_fitted = False
        self.model = StyledRowsModel(self.columns, self.row_style, parent=self)
        self.table = _report_table(self.model, self)
        self.table.doubleClicked.connect(self._on_double_click)
        self.hint_label = QLabel(self.hint, self)
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        self.refresh_button = QPushButton("Обновить", self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.setToolTip("Прочитать отчёт заново")
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.top = QHBoxLayout()
        self.add_controls(self.top)
        self.top.addStretch(1)
        self.top.addWidget(self.refresh_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint_label, 1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(self.top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # -- what a report is -------------------------------------------------------
    def add_controls(self, layout: QHBoxLayout) -> None:
        """Extra controls at the left of the top row."""

    def read_rows(self) -> list:
        raise NotImplementedError

    def row_style(self, row: Any) -> RowStyle | None:
        return None

    def teacher_id(self, row: int) -> str | None:
        obj = self.model.row_object(row)
        return getattr(obj, "teacher_id", None)

    def count_text(self, rows: list) -> str:
        return f"Всего: {len(rows)}"

    # -- loading ------------------------------------------------------------------
    @property
    def is_loaded(self) -> bool:
        return not self._stale

    def ensure_loaded(self) -> None:
        if self._stale:
            self.refresh()

    def mark_stale(self) -> None:
        self._stale = True

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        try:
            rows = self.read_rows()
        except (ServiceError, ValueError) as exc:
            self.model.set_rows([])
            self.message_label.setText(f"Не удалось построить отчёт: {exc}")
            self.message_label.show()
            self.count_label.setText("")
            return
        self.message_label.hide()
        self.model.set_rows(rows)
        self.count_label.setText(self.count_text(rows))
        if rows and not self._columns_fitted:
            self._columns_fitted = True
            QTimer.singleShot(0, self, self.fit_columns)

    @Slot()
    def fit_columns(self) -> None:
        fit_columns(self.table)

    # -- teacher card -----------------------------------------------------------------
    def open_teacher(self, row: int) -> bool:
        """The card of the teacher in ``row``; the report re-reads if the teacher was edited there."""
        if not self.opens_teachers or not 0 <= row < self.model.rowCount():
            return False
        teacher_id = self.teacher_id(row)
        if not teacher_id:
            return False
        changed = TeacherCardDialog.open_card(self, self._service, teacher_id)
        if changed:
            self.refresh()
            self.records_changed.emit("teachers")
        return changed

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_teacher(index.row())


class PdDueTab(ReportTab):
    key = "pd_due"
    label = "Сроки ПК"
    hint = ("Педагоги, у которых срок повышения квалификации прошёл или наступит в выбранный период "
            "(не реже раза в три года, 273-ФЗ, ст. 47). Двойной щелчок — карточка педагога.")
    columns = DUE_COLUMNS

    def add_controls(self, layout: QHBoxLayout) -> None:
        caption = QLabel("Срок в ближайшие", self)
        self.months_spin = QSpinBox(self)
        self.months_spin.setObjectName("monthsSpin")
        self.months_spin.setRange(0, MAX_WITHIN_MONTHS)
        self.months_spin.setValue(DEFAULT_WITHIN_MONTHS)
        self.months_spin.setToolTip("в ближайшие N месяцев; 0 — только просроченные")
        self.months_spin.valueChanged.connect(lambda _value: self.refresh())
        self.months_suffix = QLabel(self)
        self._update_suffix()
        layout.addWidget(caption)
        layout.addWidget(self.months_spin)
        layout.addWidget(self.months_suffix)

    def _update_suffix(self) -> None:
        self.months_suffix.setText(months_word(self.months_spin.value()))

    @property
    def within_months(self) -> int:
        return self.months_spin.value()

    def read_rows(self) -> list[DueRow]:
        self._update_suffix()
        return pd_due_list(self._service.db, within_months=self.within_months)

    def row_style(self, row: DueRow) -> RowStyle | None:
        return due_style(row)

    def count_text(self, rows: list[DueRow]) -> str:
        overdue = sum(1 for r in rows if r.status == rules.PdStatus.OVERDUE.value)
        return f"Всего: {len(rows)}, из них просрочено: {overdue}"


class CoverageTab(ReportTab):
    key = "pd_coverage"
    label = "Охват по организациям"
    hint = ("Сколько педагогов каждой организации прошли повышение квалификации и у скольких срок "
            "наступает или прошёл.")
    columns = COVERAGE_COLUMNS
    opens_teachers = False

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        self.total: CoverageRow | None = None
        super().__init__(service, parent)

    def read_rows(self) -> list[CoverageRow]:
        rows = coverage_by_organization(self._service.db)
        self.total = coverage_total(rows)
        return [*rows, self.total]

    def row_style(self, row: CoverageRow) -> RowStyle | None:
        return RowStyle(bold=True) if row is self.total else None

    def count_text(self, rows: list) -> str:
        return f"Организаций: {len(rows) - 1}"


class YoungTab(ReportTab):
    key = "young_without_mentor"
    label = "Молодые без наставника"
    hint = (f"Молодые педагоги (моложе {rules.YOUNG_AGE_LIMIT} лет или со стажем менее "
            f"{rules.YOUNG_EXPERIENCE_YEARS} лет), у которых сегодня нет наставника. "
            "Двойной щелчок — карточка педагога.")
    columns = YOUNG_COLUMNS

    def read_rows(self) -> list[YoungRow]:
        return young_without_mentor(self._service.db)


REPORTS: dict[str, type[ReportTab]] = {cls.key: cls for cls in (PdDueTab, CoverageTab, YoungTab)}


def months_word(n: int) -> str:
    return plural(n, "месяц", "месяца", "месяцев")
