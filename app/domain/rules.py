"""Date arithmetic and the rules built on it: professional-development terms,
young teachers, credits.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from app.domain.validators import ValidationError, format_date

HOURS_PER_CREDIT_DEFAULT = 36
# 273-ФЗ ст. 47 ч. 5 п. 2: professional development at least once every three years.
PD_INTERVAL_YEARS = 3
YOUNG_AGE_LIMIT = 35
YOUNG_EXPERIENCE_YEARS = 3


def add_years(d: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year
    (ГК РФ ст. 192 п. 3: a term ends on the last day of the month that lacks the date)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _full_years(start: date, on: date) -> int:
    years = on.year - start.year
    if add_years(start, years) > on:
        years -= 1
    return years


def age_on(birth: date, on: date) -> int:
    """Full years of age on the given day."""
    if birth > on:
        raise ValidationError(
            f"Дата рождения {format_date(birth)} позже даты {format_date(on)}"
        )
    return _full_years(birth, on)


def experience_years(career_start: date | None, today: date) -> int:
    """Full years since the start of the career; 0 when unknown or not yet started."""
    if career_start is None or career_start > today:
        return 0
    return _full_years(career_start, today)


def next_pd_due(last_completed: date | None, start_date: date | None = None) -> date | None:
    """When the next professional-development course is due: three years after the
    last completed one, or after the start of work if none is recorded."""
    base = last_completed or start_date
    if base is None:
        return None
    return add_years(base, PD_INTERVAL_YEARS)


class PdStatus(str, Enum):
    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _PD_STATUS_LABELS[self]

    # Plain str() of a str-mixin enum gives «PdStatus.OK»; text and logs want the code.
    def __str__(self) -> str:
        return self.value


_PD_STATUS_LABELS = {
    PdStatus.OK: "в норме",
    PdStatus.DUE_SOON: "срок подходит",
    PdStatus.OVERDUE: "просрочено",
    PdStatus.UNKNOWN: "нет данных",
}


def pd_status(due: date | None, today: date, warn_months: int = 6) -> PdStatus:
    """Overdue after the due day; due soon from `warn_months` before it up to the day itself."""
    if warn_months < 0:
        raise ValueError("Срок предупреждения не может быть отрицательным")
    if due is None:
        return PdStatus.UNKNOWN
    if due < today:
        return PdStatus.OVERDUE
    if due <= add_months(today, warn_months):
        return PdStatus.DUE_SOON
    return PdStatus.OK


def is_young_teacher(birth_date: date | None, career_start: date | None, today: date) -> bool:
    """Younger than 35, or less than three full years of work; unknown data does not count."""
    young_by_age = (
        birth_date is not None
        and birth_date <= today
        and age_on(birth_date, today) < YOUNG_AGE_LIMIT
    )
    new_to_work = (
        career_start is not None
        and experience_years(career_start, today) < YOUNG_EXPERIENCE_YEARS
    )
    return young_by_age or new_to_work


def credits_from_hours(
    hours: float | int | None, hours_per_credit: int = HOURS_PER_CREDIT_DEFAULT
) -> float:
    """Credits (зачётные единицы) for a number of academic hours, to two decimals."""
    if hours_per_credit <= 0:
        raise ValueError("Число часов в зачётной единице должно быть больше нуля")
    if hours is None:
        return 0.0
    if hours < 0:
        raise ValueError(f"Количество часов не может быть отрицательным: {hours}")
    # Decimal rounds half up as people expect (4.5 h → 0.13, not the float's 0.12).
    credits = Decimal(str(hours)) / Decimal(hours_per_credit)
    return float(credits.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def last_base_due_by(day: date) -> date:
    """The latest base date (last course or start of work) whose due date is on or before ``day``.

    ``next_pd_due`` never decreases as its base grows, so «due ≤ day» is exactly
    «base ≤ this date»: an indexable comparison on a stored column, right on
    leap days too (29.02 + 3 years falls on 28.02).
    """
    one_day = timedelta(days=1)
    base = add_years(day, -PD_INTERVAL_YEARS)
    while next_pd_due(base + one_day) <= day:
        base += one_day
    while next_pd_due(base) > day:
        base -= one_day
    return base
