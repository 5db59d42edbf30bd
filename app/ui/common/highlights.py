"""Rows that need attention in a list, and why: a small rule per entity over the row's values.

A rule sees the plain row dict (stored codes, dates) and today's date and
returns a Highlight — colours for the whole row or for some columns, and the
reason, which the table shows as the tooltip.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable

from app.domain import rules
from app.domain.enums import AgreementStatus, CertificationStatus
from app.domain.rules_courses import MIN_PUPILS
from app.domain.validators import format_date

EXPIRING_DAYS = 30

# Quiet tints that stay readable under the alternating row colour and the selection.
WARNING_BACKGROUND = "#ffefc4"
WARNING_TEXT = "#8a5a00"
ALARM_BACKGROUND = "#fde7e5"
ALARM_TEXT = "#a12622"


@dataclass(frozen=True)
class Highlight:
    reason: str                                  # the tooltip: why the row stands out
    background: str | None = None
    foreground: str | None = None
    bold: bool = False
    columns: frozenset[str] | None = None        # column names; None: the whole row

    def applies_to(self, column: str) -> bool:
        return self.columns is None or column in self.columns


Rule = Callable[[dict[str, Any], date], Highlight | None]


def agreement_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """An agreement in force whose term ends within 30 days, or has ended while it still says «Действует»."""
    valid_to = row.get("valid_to")
    if row.get("status") != AgreementStatus.ACTIVE.value or not isinstance(valid_to, date):
        return None
    if today <= valid_to <= today + timedelta(days=EXPIRING_DAYS):
        return Highlight(f"Срок действия истекает {format_date(valid_to)}",
                         background=WARNING_BACKGROUND, foreground=WARNING_TEXT)
    if valid_to < today:
        return Highlight(f"Срок действия истёк {format_date(valid_to)}, а статус договора — «Действует»",
                         background=ALARM_BACKGROUND, foreground=ALARM_TEXT)
    return None


def request_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """A request with no answer after its due date."""
    due = row.get("due_on")
    if isinstance(due, date) and due < today and row.get("answered_on") is None:
        return Highlight(f"Срок ответа истёк {format_date(due)}", background=ALARM_BACKGROUND, foreground=ALARM_TEXT)
    return None


_PD_COLUMNS = frozenset({"pd_status", "pd_due"})


def teacher_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """The three-year rule: overdue professional development in red, a close term in amber."""
    due = row.get("pd_due")
    status = rules.pd_status(due if isinstance(due, date) else None, today)
    if status is rules.PdStatus.OVERDUE:
        return Highlight(f"Повышение квалификации просрочено: срок истёк {format_date(due)}",
                         foreground=ALARM_TEXT, bold=True, columns=_PD_COLUMNS)
    if status is rules.PdStatus.DUE_SOON:
        return Highlight(f"Срок повышения квалификации подходит: не позднее {format_date(due)}",
                         foreground=WARNING_TEXT, columns=_PD_COLUMNS)
    return None


CERTIFICATE_WARN_DAYS = 90
_CERTIFICATE_COLUMNS = frozenset({"certified_until", "certification_status"})


def programme_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """A certified programme whose certificate has ended (red) or ends within 90 days (amber)."""
    until = row.get("certified_until")
    if row.get("certification_status") != CertificationStatus.CERTIFIED.value or not isinstance(until, date):
        return None
    if until < today:
        return Highlight(f"Сертификат программы истёк {format_date(until)}: программа больше не считается "
                         "сертифицированной", foreground=ALARM_TEXT, bold=True, columns=_CERTIFICATE_COLUMNS)
    if until <= today + timedelta(days=CERTIFICATE_WARN_DAYS):
        return Highlight(f"Сертификат программы истекает {format_date(until)}",
                         background=WARNING_BACKGROUND, foreground=WARNING_TEXT, columns=_CERTIFICATE_COLUMNS)
    return None


def review_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """An expert who has not given the conclusion by the due date."""
    due = row.get("due_on")
    if isinstance(due, date) and due < today and row.get("decision") == "pending":
        return Highlight(f"Срок экспертизы истёк {format_date(due)}, заключения нет",
                         background=ALARM_BACKGROUND, foreground=ALARM_TEXT)
    return None


def course_highlight(row: dict[str, Any], today: date) -> Highlight | None:
    """A network course with fewer than 10 pupils in total (seed 002 §8.1)."""
    total = row.get("pupils_total") or 0
    if total < MIN_PUPILS:
        return Highlight(f"Набор {total} обучающихся: сетевой курс проводится при наборе не менее {MIN_PUPILS}",
                         background=WARNING_BACKGROUND, foreground=WARNING_TEXT)
    return None


RULES: dict[str, Rule] = {
    "programmes": programme_highlight,
    "reviews": review_highlight,
    "courses": course_highlight,
    "agreements": agreement_highlight,
    "requests": request_highlight,
    "teachers": teacher_highlight,
}


def highlight_for(entity: str, row: dict[str, Any], today: date) -> Highlight | None:
    rule = RULES.get(entity)
    return rule(row, today) if rule is not None else None
