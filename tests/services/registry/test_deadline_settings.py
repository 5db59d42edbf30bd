"""The centre's control windows: one setting moves the filter, its label, «На контроле» and the PD status together."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain import rules
from app.services.common.errors import ValidationFailed
from app.services.registry.deadline_settings import deadline_windows, save_windows
from app.services.reports.attention import attention_groups, pd_due_soon_count
from tests.sync.helpers import rows

TODAY = date.today()


def _request(records, number, due_in_days):
    a = records.create("organizations", {"full_name": f"ИМЦ {number}", "kind": "methodical"})
    b = records.create("organizations", {"full_name": f"Школа {number}", "kind": "school"})
    return records.create("requests", {
        "number": number, "direction": "incoming", "sender_id": b["id"], "addressee_id": a["id"],
        "reply_contact": "imc@mail.ru", "prepared_by_name": "Орлова О. О.", "prepared_by_position": "секретарь",
        "prepared_by_phone": "+79123456789", "prepared_by_email": "o@mail.ru", "subject": "Отчёт",
        "status": "received", "sent_on": TODAY - timedelta(days=3), "due_on": TODAY + timedelta(days=due_in_days)})


def _choice_label(records, entity, filter_name, value):
    option = next(o for o in records.filter_options(entity) if o.name == filter_name)
    return dict(option.choices)[value]


def _group(db, key):
    return next((g for g in attention_groups(db) if g.key == key), None)


def test_the_request_window_moves_the_filter_its_label_and_the_attention_group(records, db):
    _request(records, "Вх-1", 5)
    _request(records, "Вх-2", 10)
    assert _choice_label(records, "requests", "deadline", "soon") == "срок в ближайшие 7 дней"
    assert [r["number"] for r in records.list("requests", filters={"deadline": "soon"}).rows] == ["Вх-1"]
    group = _group(db, "requests_soon")
    assert (group.count, group.title) == (1, "Запросы: ответить в ближайшие 7 дней")

    assert save_windows(db, {"request_days": "14"}).request_days == 14
    assert _choice_label(records, "requests", "deadline", "soon") == "срок в ближайшие 14 дней"
    assert sorted(r["number"] for r in records.list("requests", filters={"deadline": "soon"}).rows) == ["Вх-1", "Вх-2"]
    group = _group(db, "requests_soon")
    assert (group.count, group.title) == (2, "Запросы: ответить в ближайшие 14 дней")


def test_the_pd_window_is_the_teachers_status_the_filter_and_the_attention_count(records, db):
    # The three-year term ends in eight months: «в норме» with the usual six-month warning.
    last_pd = rules.add_years(rules.add_months(TODAY, 8), -3)
    teacher = records.create("teachers", {"last_name": "Орлова", "first_name": "Анна", "last_pd_on": last_pd})
    listed = records.list("teachers").rows[0]
    assert listed["pd_status"] == "в норме" and pd_due_soon_count(db, TODAY) == 0

    save_windows(db, {"pd_warn_months": 9})
    listed = records.list("teachers").rows[0]
    assert listed["pd_status"] == rules.PdStatus.DUE_SOON.label
    assert [r["id"] for r in records.list("teachers", filters={"pd_status": "due_soon"}).rows] == [teacher["id"]]
    assert _choice_label(records, "teachers", "pd_status", "due_soon") == "срок подходит (9 месяцев)"
    assert pd_due_soon_count(db, TODAY) == 1
    assert "в ближайшие 9 месяцев" in _group(db, "pd_due_soon").title


def test_a_bad_value_is_refused_naming_the_window_and_nothing_is_saved(records, db, db_path):
    with pytest.raises(ValidationFailed) as err:
        save_windows(db, {"request_days": "0", "review_days": "неделя", "agreement_days": 45})
    text = str(err.value)
    assert "Запросы: срок ответа подходит за" in text and "от 1 до 90 дней" in text
    assert "«неделя» не целое число" in text
    assert deadline_windows(db).agreement_days == 30          # the valid one waits for the others
    save_windows(db, {"agreement_days": 45, "review_days": 10})
    assert (deadline_windows(db).agreement_days, deadline_windows(db).review_days) == (45, 10)
    summary, = rows(db_path, "SELECT summary FROM audit_log WHERE entity = 'settings'")[0]
    assert "Договоры: истекают в ближайшие 30 → 45 дней" in summary and "7 → 10" in summary
    # Saving the same values again changes nothing and logs nothing.
    save_windows(db, {"agreement_days": "45"})
    assert rows(db_path, "SELECT count(*) FROM audit_log WHERE entity = 'settings'") == [(1,)]


def test_the_command_line_shows_and_changes_the_windows(db_path, capsys):
    from app.cli import main

    assert main(["--db", str(db_path), "settings", "deadlines"]) == 0
    assert "Запросы: срок ответа подходит за: 7 дней" in capsys.readouterr().out
    assert main(["--db", str(db_path), "settings", "deadlines", "--request-days", "14", "--pd-months", "9"]) == 0
    out = capsys.readouterr().out
    assert "Запросы: срок ответа подходит за: 14 дней" in out and "предупреждать за: 9 месяцев" in out
    assert main(["--db", str(db_path), "settings", "deadlines", "--review-days", "0"]) == 1
    assert "от 1 до 90 дней" in capsys.readouterr().err
