"""The three-year rule (273-ФЗ ст. 47) over the whole network, and support of young teachers.

Who is due or overdue and how well each organisation is covered are SQL
aggregates over ``teacher.last_pd_on`` (kept current by pd_status) with the
start of work as the fallback base — one pass over the teacher table, fast on
100,000 teachers. The date limits are computed here from the Python rule
itself (rules.next_pd_due), so that the SQL agrees with it to the day, 29
February included.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, Select, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.domain import enums as E
from app.domain import rules
from app.domain.rules import last_base_due_by
from app.domain.names import format_fio, initials, search_key
from app.domain.deadlines import DEFAULT_WINDOWS
from app.services.development.common import NO_ORGANIZATION, organization_label
from app.services.registry.deadline_settings import PD_WARN, window_value
from app.storage.database import Database
from app.storage.models import AppMeta, Mentorship, Organization, Teacher, Trajectory, TrajectoryItem

ONE_DAY = timedelta(days=1)

BASIS_LABELS = {
    "last_pd": "последнее повышение квалификации",
    "career_start": "начало педагогического стажа",
    "hired_on": "приём на работу",
}


def _base(m=Teacher):
    return func.coalesce(m.last_pd_on, m.career_start, m.hired_on)


def _last_course_title():
    """SQL: the title of the teacher's last completed formal course (the one ``last_pd_on`` is from)."""
    when = func.coalesce(TrajectoryItem.actual_end, TrajectoryItem.document_date)
    return (
        select(TrajectoryItem.title)
        .join(Trajectory, TrajectoryItem.trajectory_id == Trajectory.id)
        .where(Trajectory.teacher_id == Teacher.id, Trajectory.deleted_at.is_(None),
               TrajectoryItem.deleted_at.is_(None), TrajectoryItem.status == E.ItemStatus.COMPLETED.value,
               TrajectoryItem.kind == E.ItemKind.PROGRAMME.value, TrajectoryItem.formality == E.Formality.FORMAL.value)
        .order_by(when.desc(), TrajectoryItem.id)
        .limit(1).correlate(Teacher).scalar_subquery()
    )


# -- who is due ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DueRow:
    teacher_id: str
    full_name: str
    short_name: str
    snils: str
    position: str
    organization_id: str | None
    organization: str
    last_pd_on: date | None
    basis: str                  # last_pd | career_start | hired_on
    basis_label: str
    base_date: date
    due_on: date
    days_left: int              # negative when overdue
    status: str                 # overdue | due_soon
    status_label: str
    last_course: str            # title of the last completed formal course ("" when none)


def pd_due_list(db: Database, within_months: int = 6, organization_id: str | None = None,
                today: date | None = None) -> list[DueRow]:
    """Teachers overdue or due within ``within_months``: most overdue first."""
    if within_months < 0:
        raise ValueError("Срок не может быть отрицательным")
    today = today or date.today()
    limit = last_base_due_by(rules.add_months(today, within_months))
    base = _base()
    stmt = (
        select(Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.snils,
               Teacher.position, Teacher.organization_id, organization_label(Organization).label("org"),
               Teacher.last_pd_on, Teacher.career_start, Teacher.hired_on, _last_course_title().label("course"))
        .outerjoin(Organization, Teacher.organization_id == Organization.id)
        .where(Teacher.deleted_at.is_(None), base.is_not(None), base <= limit)
        .order_by(base, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.id)
    )
    if organization_id:
        stmt = stmt.where(Teacher.organization_id == organization_id)
    out = []
    with db.read() as s:
        for r in s.execute(stmt):
            basis = "last_pd" if r.last_pd_on else "career_start" if r.career_start else "hired_on"
            base_date = r.last_pd_on or r.career_start or r.hired_on
            due = rules.next_pd_due(base_date)
            status = rules.pd_status(due, today, within_months)
            out.append(DueRow(
                teacher_id=r.id, full_name=format_fio(r.last_name, r.first_name, r.middle_name),
                short_name=initials(r.last_name, r.first_name, r.middle_name), snils=r.snils or "",
                position=r.position or "", organization_id=r.organization_id, organization=r.org or "",
                last_pd_on=r.last_pd_on, basis=basis, basis_label=BASIS_LABELS[basis], base_date=base_date,
                due_on=due, days_left=(due - today).days, status=status.value, status_label=status.label,
                last_course=r.course or "",
            ))
    return out


# -- coverage per organisation ------------------------------------------------------------------

@dataclass(frozen=True)
class CoverageRow:
    organization_id: str | None
    organization: str
    teachers: int
    covered: int                # a completed course whose three years have not run out
    due_soon: int               # due within the warning period (not yet overdue)
    overdue: int
    unknown: int                # neither a course nor a start date is recorded

    @property
    def percent_covered(self) -> float:
        return round(100.0 * self.covered / self.teachers, 1) if self.teachers else 0.0


def coverage_by_organization(db: Database, today: date | None = None, warn_months: int | None = None, *,
                             municipality: str | None = None, organization_id: str | None = None,
                             ) -> list[CoverageRow]:
    """Per organisation (teachers without one form a row of their own): coverage by the three-year rule.

    ``municipality`` (a code: the organisations originating there, at the region) and ``organization_id``
    narrow it to those organisations, counted by the database alone instead of the whole region's rows
    being picked over afterwards. Without ``warn_months`` the centre's control window counts — read in
    the counting statement itself, so the figures and the window come from one snapshot in one round trip."""
    today = today or date.today()
    window = warn_months if warn_months is not None else _windows_seen.get(db.url, PD_WARN_DEFAULT)
    scope = {key: value for key, value in (("municipality", municipality), ("organization_id", organization_id))
             if value}
    statement = _coverage_counts(tuple(scope))
    while True:
        counts = db.read_statement(statement, {**dict(_limits(today, window)), **scope})
        stored = window_value(PD_WARN, counts[0].warn_setting) if counts else window
        if warn_months is not None or stored == window:
            break
        # Counted with the window last seen here; the centre has changed it since: count again with its own.
        window = _windows_seen[db.url] = stored
    rows = [CoverageRow(org_id, (name or "") if org_id else NO_ORGANIZATION,
                        int(n), int(covered), int(soon), int(overdue), int(unknown))
            for org_id, name, n, covered, soon, overdue, unknown, _window in counts]
    rows.sort(key=lambda r: (r.organization_id is None, _name_order(r.organization), r.organization_id or ""))
    return rows


# The same organisations' names come back report after report (one per municipality at the region).
_name_order = functools.lru_cache(maxsize=8192)(search_key)


# The control window last read from each database: the counts start from it and check it.
_windows_seen: dict[str, int] = {}
PD_WARN_DEFAULT = DEFAULT_WINDOWS.pd_warn_months


@functools.lru_cache(maxsize=64)
def _limits(today: date, warn_months: int) -> tuple[tuple[str, date], ...]:
    return (("overdue_limit", last_base_due_by(today - ONE_DAY)),
            ("warn_limit", last_base_due_by(rules.add_months(today, warn_months))))


@functools.cache
def _coverage_counts(scope: tuple[str, ...]) -> Select:
    """Built once for each kind of scope — a report per municipality runs it dozens of times, and SQLAlchemy
    keys its compiled form by the statement object; the limits and the scope's values are bound per run."""
    overdue_limit, warn_limit = bindparam("overdue_limit", type_=Date), bindparam("warn_limit", type_=Date)
    base = _base()

    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = (
        # The name comes in the same query: one round trip to the server per report.
        select(Teacher.organization_id, func.min(organization_label(Organization)).label("name"),
               func.count().label("n"),
               count(and_(Teacher.last_pd_on.is_not(None), Teacher.last_pd_on > overdue_limit)).label("covered"),
               count(and_(base > overdue_limit, base <= warn_limit)).label("soon"),
               count(base <= overdue_limit).label("overdue"),
               count(base.is_(None)).label("unknown"),
               select(AppMeta.value).where(AppMeta.key == PD_WARN.key).scalar_subquery().label("warn_setting"))
        .select_from(Teacher)
        .where(Teacher.deleted_at.is_(None))
        .group_by(Teacher.organization_id)
    )
    on_organization = Organization.id == Teacher.organization_id
    if not scope:
        return stmt.outerjoin(Organization, on_organization)        # teachers without one count too
    # The few organisations are picked first, then their teachers.
    stmt = stmt.join(Organization, on_organization).where(Organization.deleted_at.is_(None))
    if "municipality" in scope:
        stmt = stmt.where(Organization.origin == bindparam("municipality"))
    if "organization_id" in scope:
        stmt = stmt.where(Organization.id == bindparam("organization_id"))
    return stmt


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    """The «Итого» row over the given organisations."""
    return CoverageRow(None, "Итого", sum(r.teachers for r in rows), sum(r.covered for r in rows),
                       sum(r.due_soon for r in rows), sum(r.overdue for r in rows), sum(r.unknown for r in rows))


# -- young teachers and mentoring -----------------------------------------------------------------

@dataclass(frozen=True)
class YoungRow:
    teacher_id: str
    full_name: str
    short_name: str
    organization_id: str | None
    organization: str
    position: str
    birth_date: date | None
    age: int | None
    career_start: date | None
    experience_years: int | None
    reasons: tuple[str, ...]            # «моложе 35 лет», «стаж менее 3 лет»
    mentorship_ended_on: date | None    # the end of a past mentorship, if there was one
    mentorship_planned_from: date | None  # the start of a future one, if planned


def _active_on(m, day: date):
    return and_(m.deleted_at.is_(None), m.starts_on <= day, or_(m.ends_on.is_(None), m.ends_on >= day))


def young_without_mentor(db: Database, today: date | None = None,
                         organization_id: str | None = None) -> list[YoungRow]:
    """Young teachers (rules.is_young_teacher) who are nobody's mentee today."""
    today = today or date.today()
    # A slightly wider window in SQL; the rule itself decides below (29 February and all).
    age_cut = rules.add_years(today, -rules.YOUNG_AGE_LIMIT) - 2 * ONE_DAY
    work_cut = rules.add_years(today, -rules.YOUNG_EXPERIENCE_YEARS) - 2 * ONE_DAY
    M = Mentorship
    ended = (select(func.max(M.ends_on)).where(M.mentee_id == Teacher.id, M.deleted_at.is_(None), M.ends_on < today)
             .correlate(Teacher).scalar_subquery())
    planned = (select(func.min(M.starts_on)).where(M.mentee_id == Teacher.id, M.deleted_at.is_(None),
                                                   M.starts_on > today).correlate(Teacher).scalar_subquery())
    stmt = (
        select(Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.position,
               Teacher.organization_id, organization_label(Organization).label("org"), Teacher.birth_date,
               Teacher.career_start, ended.label("ended"), planned.label("planned"))
        .outerjoin(Organization, Teacher.organization_id == Organization.id)
        .where(Teacher.deleted_at.is_(None),
               or_(and_(Teacher.birth_date.is_not(None), Teacher.birth_date > age_cut),
                   and_(Teacher.career_start.is_not(None), Teacher.career_start > work_cut)),
               ~exists().where(M.mentee_id == Teacher.id, _active_on(M, today)))
    )
    if organization_id:
        stmt = stmt.where(Teacher.organization_id == organization_id)
    out = []
    with db.read() as s:
        for r in s.execute(stmt):
            if not rules.is_young_teacher(r.birth_date, r.career_start, today):
                continue
            age = rules.age_on(r.birth_date, today) if r.birth_date and r.birth_date <= today else None
            exp = rules.experience_years(r.career_start, today) if r.career_start else None
            reasons = []
            if age is not None and age < rules.YOUNG_AGE_LIMIT:
                reasons.append(f"моложе {rules.YOUNG_AGE_LIMIT} лет")
            if exp is not None and exp < rules.YOUNG_EXPERIENCE_YEARS:
                reasons.append(f"стаж менее {rules.YOUNG_EXPERIENCE_YEARS} лет")
            out.append(YoungRow(
                teacher_id=r.id, full_name=format_fio(r.last_name, r.first_name, r.middle_name),
                short_name=initials(r.last_name, r.first_name, r.middle_name),
                organization_id=r.organization_id, organization=r.org or "", position=r.position or "",
                birth_date=r.birth_date, age=age, career_start=r.career_start, experience_years=exp,
                reasons=tuple(reasons), mentorship_ended_on=r.ended, mentorship_planned_from=r.planned))
    out.sort(key=lambda y: (search_key(y.organization), search_key(y.full_name), y.teacher_id))
    return out


@dataclass(frozen=True)
class MentorshipPair:
    id: str
    mentor_id: str
    mentor: str                 # «Фамилия Имя Отчество»
    mentor_organization: str
    mentee_id: str
    mentee: str
    mentee_organization: str
    form: str
    form_label: str
    starts_on: date
    ends_on: date | None
    order_number: str
    goals: str
    active: bool                # on ``active_on`` (or today)


def mentorship_pairs(db: Database, active_on: date | None = None,
                     organization_id: str | None = None) -> list[MentorshipPair]:
    """Mentoring pairs; with ``active_on`` only those in force that day. ``organization_id``: the mentee's."""
    day = active_on or date.today()
    mentor, mentee = aliased(Teacher), aliased(Teacher)
    mentor_org, mentee_org = aliased(Organization), aliased(Organization)
    M = Mentorship
    stmt = (
        select(M, mentor.last_name, mentor.first_name, mentor.middle_name, organization_label(mentor_org),
               mentee.last_name, mentee.first_name, mentee.middle_name, organization_label(mentee_org))
        .join(mentor, M.mentor_id == mentor.id).join(mentee, M.mentee_id == mentee.id)
        .outerjoin(mentor_org, mentor.organization_id == mentor_org.id)
        .outerjoin(mentee_org, mentee.organization_id == mentee_org.id)
        .where(M.deleted_at.is_(None))
        .order_by(M.starts_on, mentee.last_name, mentee.first_name, M.id)
    )
    if active_on is not None:
        stmt = stmt.where(_active_on(M, active_on))
    if organization_id:
        stmt = stmt.where(mentee.organization_id == organization_id)
    out = []
    with db.read() as s:
        for m, ml, mf, mm, mo, el, ef, em, eo in s.execute(stmt):
            out.append(MentorshipPair(
                id=m.id, mentor_id=m.mentor_id, mentor=format_fio(ml, mf, mm), mentor_organization=mo or "",
                mentee_id=m.mentee_id, mentee=format_fio(el, ef, em), mentee_organization=eo or "",
                form=m.form, form_label=E.MentorshipForm.label_of(m.form), starts_on=m.starts_on,
                ends_on=m.ends_on, order_number=m.order_number or "", goals=m.goals or "",
                active=m.starts_on <= day and (m.ends_on is None or m.ends_on >= day)))
    return out
