"""How far ahead «На контроле» looks, shared by the attention list and the list filters it opens.

The windows are settings of the centre (services/registry/deadline_settings);
``Windows`` carries them to every reader, so the count on the dashboard, the
rows of the list it opens and the filter's label («срок в ближайшие 7 дней»)
always name the same records.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

AGREEMENT_EXPIRING_DAYS = 30
REQUEST_SOON_DAYS = 7
REVIEW_SOON_DAYS = 7
PD_WARN_MONTHS = 6


@dataclass(frozen=True)
class Windows:
    agreement_days: int = AGREEMENT_EXPIRING_DAYS     # an agreement «expires soon»
    request_days: int = REQUEST_SOON_DAYS             # a request's answer is due soon
    review_days: int = REVIEW_SOON_DAYS               # an expert's conclusion is due soon
    pd_warn_months: int = PD_WARN_MONTHS              # professional development is due soon


DEFAULT_WINDOWS = Windows()

MONTH_NAMES = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
               "ноябрь", "декабрь")
MONTH_SHORT = ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def period_code(month: int | None) -> str:
    """The value of the events «period» filter: «year» or «m01»…«m12» (of the current year)."""
    return "year" if month is None else f"m{month:02d}"


def period_bounds(code: str, today: date) -> tuple[date, date]:
    """First and last day of a period of ``today``'s year named by ``period_code``."""
    if code == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    month = int(code[1:])
    return date(today.year, month, 1), date(today.year, month, calendar.monthrange(today.year, month)[1])


PERIOD_CHOICES: tuple[tuple[str, str], ...] = (("year", "весь год"),) + tuple(
    (period_code(m), MONTH_NAMES[m - 1]) for m in range(1, 13))


def pd_limits(today: date, warn_months: int = PD_WARN_MONTHS) -> tuple[date, date]:
    """(the last base date already overdue today, the last one due within ``warn_months``).

    The same limits as the teachers' «pd_status» filter: base ≤ first is overdue,
    first < base ≤ second is due soon.
    """
    from app.domain import rules

    return (rules.last_base_due_by(today - timedelta(days=1)),
            rules.last_base_due_by(rules.add_months(today, warn_months)))


def _counted(n: int, one: str, few: str, many: str) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{n} {word}"


def days_text(n: int) -> str:
    """«1 день», «3 дня», «11 дней»."""
    return _counted(n, "день", "дня", "дней")


def months_text(n: int) -> str:
    """«1 месяц», «3 месяца», «6 месяцев»."""
    return _counted(n, "месяц", "месяца", "месяцев")
