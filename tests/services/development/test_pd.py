"""The three-year rule over the network and young teachers: SQL aggregates against the Python rule."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain import rules
from app.services.demo.generator import generate_demo
from app.services.development import (
    coverage_by_organization, coverage_total, last_base_due_by, mentorship_pairs, pd_due_list, young_without_mentor,
)
from app.services.registry.deadline_settings import save_windows
from app.storage.database import Database
from app.storage.models import AppMeta, Mentorship, Teacher, Trajectory, TrajectoryItem

from tests.services.development.conftest import make_org, make_teacher

TODAY = date.today()


@pytest.fixture
def demo(db):
    generate_demo(db, 300)
    return db


def _teachers(db) -> list:
    """Plain rows (id, organization_id, birth_date, career_start, hired_on, last_pd_on) of live teachers."""
    with db.read() as s:
        return list(s.execute(select(Teacher.id, Teacher.organization_id, Teacher.birth_date, Teacher.career_start,
                                     Teacher.hired_on, Teacher.last_pd_on).where(Teacher.deleted_at.is_(None))))


def _due(t) -> date | None:
    return rules.next_pd_due(t.last_pd_on, t.career_start or t.hired_on)


def _active_mentees(db, day: date) -> set[str]:
    with db.read() as s:
        pairs = s.execute(select(Mentorship.mentee_id, Mentorship.starts_on, Mentorship.ends_on)
                          .where(Mentorship.deleted_at.is_(None)))
        return {m.mentee_id for m in pairs if m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)}


@pytest.mark.parametrize("within", [0, 6, 12])
def test_due_list_matches_the_python_rule_for_every_demo_teacher(demo, within):
    teachers = _teachers(demo)
    horizon = rules.add_months(TODAY, within)
    expected = {t.id: _due(t) for t in teachers if _due(t) is not None and _due(t) <= horizon}
    rows = pd_due_list(demo, within_months=within)
    assert {r.teacher_id: r.due_on for r in rows} == expected
    assert len(rows) == len(expected) > 0
    for r in rows:
        assert r.status == rules.pd_status(r.due_on, TODAY, within).value
        assert r.status_label in ("просрочено", "срок подходит")
        assert r.days_left == (r.due_on - TODAY).days
    assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)       # most overdue first
    assert {r.status for r in pd_due_list(demo, 6)} == {"overdue", "due_soon"}   # the demo has both


def test_due_list_names_the_last_course_and_filters_by_organization(demo):
    rows = pd_due_list(demo, 6)
    with demo.read() as s:
        courses = defaultdict(list)
        stmt = (select(Trajectory.teacher_id, TrajectoryItem.title, TrajectoryItem.actual_end,
                       TrajectoryItem.document_date)
                .join(Trajectory, TrajectoryItem.trajectory_id == Trajectory.id)
                .where(Trajectory.deleted_at.is_(None), TrajectoryItem.deleted_at.is_(None),
                       TrajectoryItem.status == "completed", TrajectoryItem.kind == "programme",
                       TrajectoryItem.formality == "formal"))
        for teacher_id, title, end, doc in s.execute(stmt):
            courses[teacher_id].append((end or doc, title))
    with_course = [r for r in rows if r.last_pd_on]
    assert with_course, "the demo has due teachers with a course"
    for r in with_course:
        latest = max(d for d, _ in courses[r.teacher_id])
        assert latest == r.last_pd_on and r.basis == "last_pd"
        assert r.last_course in {t for d, t in courses[r.teacher_id] if d == latest}
    for r in rows:
        if not r.last_pd_on:
            assert r.last_course == "" and r.basis in ("career_start", "hired_on")
    org_id = rows[0].organization_id
    mine = pd_due_list(demo, 6, organization_id=org_id)
    assert mine == [r for r in rows if r.organization_id == org_id]


def test_coverage_matches_the_python_rule(demo):
    warn = 6
    expected: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for t in _teachers(demo):
        row = expected[t.organization_id]
        status = rules.pd_status(_due(t), TODAY, warn)
        row[0] += 1
        row[1] += t.last_pd_on is not None and rules.next_pd_due(t.last_pd_on) >= TODAY
        row[2] += status == rules.PdStatus.DUE_SOON
        row[3] += status == rules.PdStatus.OVERDUE
        row[4] += status == rules.PdStatus.UNKNOWN
    rows = coverage_by_organization(demo, warn_months=warn)
    assert {r.organization_id: [r.teachers, r.covered, r.due_soon, r.overdue, r.unknown] for r in rows} == expected
    for r in rows:
        assert r.percent_covered == round(100 * r.covered / r.teachers, 1)
        assert r.organization
    total = coverage_total(rows)
    assert total.teachers == 300 and total.covered > 0 and total.overdue > 0
    assert coverage_by_organization(demo) == rows          # pd_warn_months defaults to 6


def test_coverage_counts_with_the_window_another_user_has_just_saved(db, records):
    """The report's counts start from the window last seen; one saved from another PC since still counts."""
    org = make_org(records)
    day = date(2027, 3, 1)
    make_teacher(records, org, "Скорова", "Анна", career_start=date(2024, 7, 1))     # due 01.07.2027
    assert [r.due_soon for r in coverage_by_organization(db, today=day)] == [1]    # six months by default
    other = Database(db.url)
    try:
        save_windows(other, {"pd_warn_months": 2})
        assert [r.due_soon for r in coverage_by_organization(db, today=day)] == [0]
        with other.session() as s:
            s.get(AppMeta, "pd_warn_months").value = "полгода"          # unreadable: the default stands
        assert [r.due_soon for r in coverage_by_organization(db, today=day)] == [1]
        save_windows(other, {"pd_warn_months": 4})
        assert [r.due_soon for r in coverage_by_organization(db, today=day)] == [1]
        assert [r.due_soon for r in coverage_by_organization(db, today=day, warn_months=3)] == [0]
    finally:
        other.dispose()


def test_sql_limits_agree_with_the_rule_on_every_day_around_29_february(db, records):
    """Bases on and around 29 February, checked on every day of a window that holds two leap days."""
    org = make_org(records)
    bases = [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2025, 2, 28), date(2025, 3, 1),
             date(2024, 8, 29), date(2024, 8, 31), date(2025, 2, 27)]
    for i, base in enumerate(bases):
        make_teacher(records, org, "Граничный" + "абвгдежзик"[i], "Тест", career_start=base)
    teachers = _teachers(db)
    day = date(2027, 2, 20)
    while day <= date(2028, 3, 5):
        if day.day in (27, 28, 29, 1, 2) or day.month in (2, 8, 9):
            for within in (0, 6):
                horizon = rules.add_months(day, within)
                expected = {t.id for t in teachers if _due(t) <= horizon}
                assert {r.teacher_id for r in pd_due_list(db, within, today=day)} == expected, (day, within)
            overdue = {t.id for t in teachers if _due(t) < day}
            cov = coverage_by_organization(db, today=day, warn_months=6)
            assert sum(r.overdue for r in cov) == len(overdue), day
        day += timedelta(days=1)
    assert last_base_due_by(date(2027, 2, 28)) == date(2024, 2, 29)     # due 28.02.2027
    assert last_base_due_by(date(2028, 2, 28)) == date(2025, 2, 28)
    assert last_base_due_by(date(2028, 2, 29)) == date(2025, 2, 28)


def test_young_without_mentor_matches_the_python_rule(demo):
    mentored = _active_mentees(demo, TODAY)
    expected = {t.id for t in _teachers(demo)
                if rules.is_young_teacher(t.birth_date, t.career_start, TODAY) and t.id not in mentored}
    rows = young_without_mentor(demo)
    assert {r.teacher_id for r in rows} == expected and expected
    young_total = {t.id for t in _teachers(demo) if rules.is_young_teacher(t.birth_date, t.career_start, TODAY)}
    assert mentored & young_total, "the demo has young teachers with a mentor, and they are left out"
    for r in rows:
        assert r.reasons
        assert ("моложе 35 лет" in r.reasons) == (r.age is not None and r.age < 35)


def test_young_teacher_leaves_the_list_while_mentored(db, records):
    org = make_org(records)
    young = make_teacher(records, org, "Молодая", "Мария", birth_date=date(2000, 5, 5),
                         career_start=TODAY - timedelta(days=200))
    mentor = make_teacher(records, org, "Опытная", "Ольга", birth_date=date(1970, 1, 1),
                          career_start=date(1992, 9, 1))
    newcomer_50 = make_teacher(records, org, "Новиков", "Пётр", birth_date=date(1975, 1, 1),
                               career_start=TODAY - timedelta(days=400))
    assert {r.teacher_id for r in young_without_mentor(db)} == {young["id"], newcomer_50["id"]}
    newcomer = next(r for r in young_without_mentor(db) if r.teacher_id == newcomer_50["id"])
    assert newcomer.reasons == ("стаж менее 3 лет",)

    pair = records.create("mentorships", {"mentor_id": mentor["id"], "mentee_id": young["id"], "form": "individual",
                                          "starts_on": TODAY - timedelta(days=30)})
    assert {r.teacher_id for r in young_without_mentor(db)} == {newcomer_50["id"]}
    records.update("mentorships", pair["id"], {"ends_on": TODAY - timedelta(days=1)})
    back = [r for r in young_without_mentor(db) if r.teacher_id == young["id"]]
    assert back and back[0].mentorship_ended_on == TODAY - timedelta(days=1)

    pairs = mentorship_pairs(db)
    assert [(p.mentor, p.mentee, p.form_label, p.active) for p in pairs] == [
        ("Опытная Ольга", "Молодая Мария", "Индивидуальная", False)]
    assert mentorship_pairs(db, active_on=TODAY - timedelta(days=5))[0].active is True
    assert mentorship_pairs(db, active_on=TODAY) == []


def test_mentorship_pairs_active_on_matches_python(demo):
    day = TODAY - timedelta(days=100)
    with demo.read() as s:
        pairs = s.execute(select(Mentorship.id, Mentorship.starts_on, Mentorship.ends_on)
                          .where(Mentorship.deleted_at.is_(None)))
        expected = {m.id for m in pairs if m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)}
    assert {p.id for p in mentorship_pairs(demo, active_on=day)} == expected
    assert len(mentorship_pairs(demo)) >= len(expected)
