"""What every report shares: its columns, its parameters, and one streamed run.

A report is a small class: a latin name (``pk-coverage``), a Russian title,
its columns and a ``rows()`` generator of plain values (dates as ``date``,
numbers as numbers, personal data unmasked). ``ReportRun`` drives it: masks
personal data unless the user asked otherwise, adds up the «Итого» columns
while the rows stream past, and gives the writers (xlsx, pdf) and the GUI
preview the same header lines. The run and the Excel writer hold only the
current row, so a report over 100,000 teachers streams straight into the file
(the small reports — events, agreements … — read their few rows at once).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session

from app.domain.masking import masked
from app.domain.validators import format_date
from app.services.common.errors import ServiceError
from app.storage.database import Database
from app.storage.models import Municipality, Organization

TEXT, INT, NUMBER, PERCENT, DATE = "text", "int", "number", "percent", "date"
TOTAL_LABEL = "Итого"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT            # text | int | number (two decimals) | percent (a fraction) | date
    width: float = 14           # Excel characters; the PDF shares the page in proportion
    total: bool = False         # summed in the «Итого» row
    personal: str | None = None  # snils | phone | email: masked unless «без маскирования»


@dataclass(frozen=True)
class ReportParams:
    date_from: date | None = None
    date_to: date | None = None
    organization_id: str | None = None
    municipality: str | None = None      # a municipality code: organisations originating there
    unmasked: bool = False
    today: date | None = None            # «сформировано»; tests fix it

    @property
    def day(self) -> date:
        """The «по состоянию на» day: the end of the period, or today."""
        return self.date_to or self.today or date.today()

    def validate(self) -> "ReportParams":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ServiceError(f"Начало периода ({format_date(self.date_from)}) позже его конца "
                               f"({format_date(self.date_to)}).")
        return self

    def previous(self) -> "ReportParams":
        """The period of the same length just before this one (for comparisons)."""
        start, end = self.date_from, self.day
        if start is None:
            raise ServiceError("Для сравнения с предыдущим периодом укажите начало периода.")
        length = (end - start).days + 1
        return replace(self, date_from=start - timedelta(days=length), date_to=start - timedelta(days=1))


class Report:
    """One report. Subclasses set the class attributes and write ``rows``."""

    name = ""
    title = ""
    sheet = ""                  # the sheet name, ≤ 31 characters
    description = ""            # one or two sentences for the catalogue
    pdf = False
    register = False            # a state on a day («по состоянию на»), not a period
    columns: tuple[Column, ...] = ()
    note = ""                   # a line under the header (how the figures are counted)

    def rows(self, db: Database, p: ReportParams) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def note_for(self, db: Database, p: ReportParams) -> str:
        return self.note

    def expected_rows(self, db: Database, p: ReportParams) -> int | None:
        """How many rows to expect, when cheap to know (for the progress bar)."""
        return None

    def totals(self, sums: list[Any], count: int, p: ReportParams) -> Sequence[Any] | None:
        """The «Итого» row from the column sums (None where a column is not summed)."""
        row = list(sums)
        row[0] = f"{TOTAL_LABEL}: {count}" if self.columns[0].kind == TEXT else row[0]
        return row

    def period_text(self, p: ReportParams) -> str:
        if self.register:
            return f"По состоянию на {format_date(p.day)}"
        return period_text(p.date_from, p.date_to)

    @classmethod
    def has_personal_data(cls) -> bool:
        return any(c.personal for c in cls.columns)


def period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"За период с {format_date(start)} по {format_date(end)}"
    if start:
        return f"За период с {format_date(start)}"
    if end:
        return f"За период по {format_date(end)}"
    return "За весь период"


@dataclass
class ReportRun:
    """One run of a report: header lines, then the streamed rows, then the totals."""

    report: Report
    db: Database
    params: ReportParams
    generated_at: datetime = field(default_factory=datetime.now)
    count: int = 0
    _sums: list[Any] | None = None
    _finished: bool = False

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.report.columns

    def header_lines(self) -> list[str]:
        """Period, filters, masking and generation date: the lines under the title."""
        p, lines = self.params, [self.report.period_text(self.params)]
        if p.organization_id or p.municipality:
            with self.db.read() as s:
                if p.organization_id:
                    org = s.get(Organization, p.organization_id)
                    lines.append(f"Организация: {(org.short_name or org.full_name) if org else p.organization_id}")
                if p.municipality:
                    name = s.scalar(select(Municipality.name).where(Municipality.code == p.municipality))
                    lines.append(f"Муниципальное образование: {name or p.municipality}")
        if self.report.has_personal_data():
            lines.append("Персональные данные показаны полностью" if p.unmasked
                         else "Персональные данные скрыты частично (СНИЛС, телефон, e-mail)")
        note = self.report.note_for(self.db, p)
        if note:
            lines.append(note)
        lines.append(f"Сформировано: {self.generated_at.strftime('%d.%m.%Y %H:%M')}")
        return lines

    def rows(self) -> Iterator[tuple]:
        """The data rows, masked; the sums are ready once this is exhausted."""
        cols = self.columns
        summed = [i for i, c in enumerate(cols) if c.total]
        sums: list[Any] = [None] * len(cols)
        for i in summed:
            sums[i] = 0
        to_mask = [] if self.params.unmasked else [(i, c.personal) for i, c in enumerate(cols) if c.personal]
        self.count = 0
        for row in self.report.rows(self.db, self.params):
            if to_mask:
                row = list(row)
                for i, kind in to_mask:
                    row[i] = masked(kind, row[i])
                row = tuple(row)
            for i in summed:
                v = row[i]
                if v is not None:
                    sums[i] += v
            self.count += 1
            yield row
        # Two-decimal values summed as floats stay far within a cent of the exact sum; rounding restores it.
        self._sums = [round(v, 2) if cols[i].kind == NUMBER and v is not None else v for i, v in enumerate(sums)]
        self._finished = True

    def totals(self) -> tuple | None:
        if not self._finished:
            raise RuntimeError("totals() before the rows were read")
        row = self.report.totals(list(self._sums or []), self.count, self.params)
        return tuple(row) if row is not None else None


# -- helpers the reports share -----------------------------------------------------------------

def organization_scope(s: Session, p: ReportParams) -> set[str] | None:
    """The organisations the parameters select; None when there is no such filter."""
    q = organization_scope_query(p)
    return None if q is None else set(s.scalars(q))


def organization_scope_query(p: ReportParams) -> Select | None:
    """SQL: the ids of the organisations the parameters select, for a report to filter by in the database."""
    condition = organization_condition(p)
    return None if condition is None else select(Organization.id).where(condition)


def organization_condition(p: ReportParams) -> ColumnElement | None:
    """SQL: the organisations the parameters select, as a condition on ``Organization`` itself — for a
    query that joins the organisation anyway; None when there is no such filter."""
    if not p.organization_id and not p.municipality:
        return None
    condition = Organization.deleted_at.is_(None)
    if p.organization_id:
        condition = condition & (Organization.id == p.organization_id)
    if p.municipality:
        condition = condition & (Organization.origin == p.municipality)
    return condition


def in_scope(column, scope: set[str] | None):
    """SQL: ``column`` is one of the selected organisations (always true without a filter)."""
    return true() if scope is None else column.in_(sorted(scope))


def within(column, p: ReportParams):
    """SQL: the date ``column`` falls in the period (open ends are unbounded)."""
    cond = true()
    if p.date_from:
        cond = cond & (column >= p.date_from)
    if p.date_to:
        cond = cond & (column <= p.date_to)
    return cond


def in_period(day: date | None, p: ReportParams) -> bool:
    if day is None:
        return False
    return (p.date_from is None or day >= p.date_from) and (p.date_to is None or day <= p.date_to)


def number_text(x: float | int, decimals: int) -> str:
    """Russian style: «1 234,5»; trailing zeros dropped."""
    text = f"{float(x):,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("0" if text == "-0" else text).replace(",", "\u00a0").replace(".", ",")


def display_text(value: Any, kind: str) -> str:
    """A cell as a person reads it (preview, PDF): дд.мм.гггг, «1 234,5», «34,9 %»."""
    if value is None:
        return ""
    if kind == DATE:
        return format_date(value)
    if kind == INT:
        return number_text(value, 0)
    if kind == NUMBER:
        return number_text(value, 2)
    if kind == PERCENT:
        return number_text(100 * value, 1) + "\u00a0%"
    return str(value)


def percent(part: float, whole: float) -> float | None:
    """A fraction (Excel shows it with the «%» format); None for an empty whole."""
    return round(part / whole, 4) if whole else None


class ReportCancelled(ServiceError):
    """The user cancelled while the report was being written; no file is left behind."""

    def __init__(self) -> None:
        super().__init__("Формирование отчёта отменено.")
