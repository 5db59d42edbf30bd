"""Which rows stand out and why: the per-entity rules on plain row values, at the edges of their terms."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.ui.common.highlights import (
    ALARM_TEXT, WARNING_BACKGROUND, agreement_highlight, highlight_for, request_highlight, teacher_highlight,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("days", "status", "reason"), [
    (0, "active", "Срок действия истекает 23.11.2026"),
    (30, "active", "Срок действия истекает 23.12.2026"),
    (31, "active", None),
    (12, "draft", None),
    (12, "terminated", None),
    (-1, "active", "Срок действия истёк 22.11.2026, а статус договора — «Действует»"),
    (-1, "expired", None),
])
def test_agreement_in_force_ending_within_thirty_days(days, status, reason):
    mark = agreement_highlight({"valid_to": TODAY + timedelta(days=days), "status": status}, TODAY)
    assert (mark.reason if mark else None) == reason
    if reason and days >= 0:
        assert mark.background == WARNING_BACKGROUND and mark.columns is None


def test_agreement_without_an_end_date_is_quiet():
    assert agreement_highlight({"valid_to": None, "status": "active"}, TODAY) is None


@pytest.mark.parametrize(("due", "answered", "reason"), [
    (date(2026, 11, 1), None, "Срок ответа истёк 01.11.2026"),
    (TODAY, None, None),                            # due today: not yet overdue
    (date(2026, 11, 1), date(2026, 11, 5), None),   # answered late, but answered
    (None, None, None),
])
def test_request_overdue_without_an_answer(due, answered, reason):
    mark = request_highlight({"due_on": due, "answered_on": answered}, TODAY)
    assert (mark.reason if mark else None) == reason
    if reason:
        assert mark.foreground == ALARM_TEXT


def test_teacher_overdue_colours_only_the_professional_development_columns():
    mark = teacher_highlight({"pd_due": date(2026, 5, 15)}, TODAY)
    assert mark.reason == "Повышение квалификации просрочено: срок истёк 15.05.2026"
    assert mark.foreground == ALARM_TEXT and mark.bold
    assert mark.applies_to("pd_status") and mark.applies_to("pd_due") and not mark.applies_to("last_name")
    soon = teacher_highlight({"pd_due": date(2027, 2, 1)}, TODAY)
    assert soon.reason == "Срок повышения квалификации подходит: не позднее 01.02.2027"
    assert teacher_highlight({"pd_due": date(2029, 1, 1)}, TODAY) is None
    assert teacher_highlight({"pd_due": None}, TODAY) is None


def test_entities_without_a_rule_are_never_highlighted():
    assert highlight_for("programmes", {"valid_to": TODAY, "status": "active"}, TODAY) is None
