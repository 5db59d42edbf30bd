"""Показатели эффективности сетевого взаимодействия за период против предыдущего (seed 002 §4.7).

Seed 002 asks for indicators of pedagogical, financial-economic and
resource-organisational efficiency. The database holds no money, so the
report gives the pedagogical and the resource-organisational ones; the states
on the last day (coverage, members, agreements in force) reuse the other
reports, so the figures agree with them to the unit.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from app.domain import enums as E
from app.domain.validators import format_date
from app.services.development.common import item_credits, pd_settings
from app.services.reports.agreements import IN_FORCE, AgreementsReport
from app.services.reports.base import (
    NUMBER, PERCENT, TEXT, Column, Report, ReportParams, in_scope, organization_scope, within,
)
from app.services.reports.participants import ParticipantsRegister
from app.services.reports.pk_coverage import PkCoverage
from app.services.reports.young import YoungReport
from app.storage.models import (
    Community, Event, InfoRequest, Material, OrganizationRole, Participation, Review, Teacher, Trajectory,
    TrajectoryItem,
)

PEDAGOGICAL = "Педагогическая эффективность"
RESOURCE = "Ресурсно-организационная эффективность"
CANCELLED = E.EventStatus.CANCELLED.value
ABSENT = E.Attendance.ABSENT.value


def default_period(p: ReportParams) -> ReportParams:
    """Without a start the period is the calendar year up to the report day."""
    end = p.day
    return replace(p, date_from=p.date_from or date(end.year, 1, 1), date_to=end)


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def indicators(db, p: ReportParams) -> list[tuple[str, str, str, float | None]]:
    """(group, indicator, unit, value) for the period of ``p`` (both ends set)."""
    end = p.date_to
    out: list[tuple[str, str, str, float | None]] = []
    with db.read() as s:
        scope = organization_scope(s, p)
        teacher_in = in_scope(Teacher.organization_id, scope)
        held = and_(Event.deleted_at.is_(None), Event.status != CANCELLED, within(Event.starts_on, p))
        took_part = (select(Participation.teacher_id).join(Event, Event.id == Participation.event_id)
                     .join(Teacher, Teacher.id == Participation.teacher_id)
                     .where(held, Participation.deleted_at.is_(None), Participation.attendance != ABSENT,
                            Teacher.deleted_at.is_(None), teacher_in))
        events = s.scalar(select(func.count()).select_from(Event).where(held)) if scope is None else s.scalar(
            select(func.count(func.distinct(Event.id))).join(Participation, Participation.event_id == Event.id)
            .join(Teacher, Teacher.id == Participation.teacher_id)
            .where(held, Participation.deleted_at.is_(None), teacher_in))
        participations = len(s.execute(took_part).all())
        participants = len(set(s.scalars(took_part)))
        when = func.coalesce(TrajectoryItem.actual_end, TrajectoryItem.document_date)
        items = s.execute(
            select(Trajectory.teacher_id, TrajectoryItem.kind, TrajectoryItem.formality, TrajectoryItem.hours,
                   TrajectoryItem.credits)
            .join(Trajectory, Trajectory.id == TrajectoryItem.trajectory_id)
            .join(Teacher, Teacher.id == Trajectory.teacher_id)
            .where(TrajectoryItem.deleted_at.is_(None), Trajectory.deleted_at.is_(None), Teacher.deleted_at.is_(None),
                   TrajectoryItem.status == E.ItemStatus.COMPLETED.value, within(when, p), teacher_in)).all()
        per_credit = pd_settings(db).hours_per_credit
        trained = {t for t, kind, formality, _, _ in items
                   if kind == E.ItemKind.PROGRAMME.value and formality == E.Formality.FORMAL.value}
        credits = float(sum((Decimal(str(item_credits(h, c, per_credit)[0])) for *_, h, c in items), Decimal(0)))
        submitted = s.scalar(select(func.count()).select_from(Material).where(
            Material.deleted_at.is_(None), within(Material.submitted_on, p), in_scope(Material.organization_id, scope)))
        approved = s.scalar(select(func.count(func.distinct(Review.material_id)))
                            .join(Material, Material.id == Review.material_id)
                            .where(Review.deleted_at.is_(None), Material.deleted_at.is_(None),
                                   Review.decision == E.ReviewDecision.APPROVED.value, within(Review.decided_on, p),
                                   in_scope(Material.organization_id, scope)))
        roles = s.scalar(select(func.count(func.distinct(OrganizationRole.organization_id))).where(
            OrganizationRole.deleted_at.is_(None), in_scope(OrganizationRole.organization_id, scope),
            or_(OrganizationRole.since.is_(None), OrganizationRole.since <= end),
            or_(OrganizationRole.until.is_(None), OrganizationRole.until >= end)))
        communities = s.scalar(select(func.count()).select_from(Community).where(
            Community.deleted_at.is_(None), or_(Community.starts_on.is_(None), Community.starts_on <= end),
            or_(Community.ends_on.is_(None), Community.ends_on >= end),
            in_scope(Community.base_organization_id, scope)))
        requests = s.execute(select(InfoRequest.sender_id, InfoRequest.addressee_id, InfoRequest.due_on,
                                    InfoRequest.answered_on)
                             .where(InfoRequest.deleted_at.is_(None), within(InfoRequest.sent_on, p))).all()
    if scope is not None:
        requests = [r for r in requests if r.sender_id in scope or r.addressee_id in scope]
    with_due = [r for r in requests if r.due_on is not None]
    on_time = sum(1 for r in with_due if r.answered_on is not None and r.answered_on <= r.due_on)

    on_end = replace(p, date_from=None, date_to=end)
    coverage = list(PkCoverage().rows(db, on_end))
    young = YoungReport()
    young_count = sum(1 for _ in young.rows(db, on_end))
    members = sum(1 for _ in ParticipantsRegister().rows(db, on_end))
    in_force = sum(1 for row in AgreementsReport().rows(db, on_end) if row[-1] == IN_FORCE)

    out += [
        (PEDAGOGICAL, "Сетевых мероприятий (кроме отменённых)", "ед.", events),
        (PEDAGOGICAL, "Участий педагогов в мероприятиях", "чел.-мероприятий", participations),
        (PEDAGOGICAL, "Педагогов — участников мероприятий", "чел.", participants),
        (PEDAGOGICAL, "Педагогов, завершивших курсы повышения квалификации", "чел.", len(trained)),
        (PEDAGOGICAL, "Зачётных единиц за выполненные элементы маршрутов", "з. е.", round(credits, 2)),
        (PEDAGOGICAL, "Охват повышением квалификации за три года (на конец периода)", "%",
         _pct(sum(r[2] for r in coverage), sum(r[1] for r in coverage))),
        (PEDAGOGICAL, "Молодых педагогов с наставником (на конец периода)", "%",
         _pct(young.with_mentor, young_count)),
        (PEDAGOGICAL, "Подано методических материалов", "ед.", submitted),
        (PEDAGOGICAL, "Материалов, одобренных экспертизой", "ед.", approved),
        (RESOURCE, "Организаций — участников сети (на конец периода)", "ед.", members),
        (RESOURCE, "Организаций с ролью в сети (ресурсный центр, площадка …)", "ед.", roles),
        (RESOURCE, "Действующих договоров (на конец периода)", "ед.", in_force),
        (RESOURCE, "Действующих сообществ (на конец периода)", "ед.", communities),
        (RESOURCE, "Запросов в рамках сетевого взаимодействия", "ед.", len(requests)),
        (RESOURCE, "Запросов, исполненных в срок", "%", _pct(on_time, len(with_due))),
    ]
    return out


class EfficiencyReport(Report):
    name = "efficiency"
    title = "Показатели эффективности сетевого взаимодействия"
    sheet = "Показатели эффективности"
    description = ("Педагогические и ресурсно-организационные показатели за период в сравнении с предыдущим "
                   "периодом той же длины (положение о сети, п. 4.7).")
    columns = (
        Column("Направление", TEXT, 30),
        Column("Показатель", TEXT, 52),
        Column("Ед. изм.", TEXT, 14),
        Column("За период", NUMBER, 12),
        Column("За предыдущий период", NUMBER, 14),
        Column("Изменение", NUMBER, 12),
        Column("Изменение, %", PERCENT, 12),
    )
    note = "Для показателей в процентах изменение — в процентных пунктах. Финансовые показатели в базе не ведутся."

    def period_text(self, p: ReportParams) -> str:
        cur = default_period(p)
        prev = cur.previous()
        return (f"За период с {format_date(cur.date_from)} по {format_date(cur.date_to)}; предыдущий период — "
                f"с {format_date(prev.date_from)} по {format_date(prev.date_to)}")

    def __init__(self) -> None:
        self.changes: Counter = Counter()

    def rows(self, db, p: ReportParams):
        self.changes = Counter()
        cur = default_period(p)
        now, before = indicators(db, cur), indicators(db, cur.previous())
        for (group, label, unit, value), (*_, old) in zip(now, before):
            change = None if value is None or old is None else round(value - old, 2)
            relative = None if change is None or not old or unit == "%" else round(change / old, 4)
            # Every indicator here is «the more, the better», so the direction is the verdict.
            self.changes["нет данных" if change is None else "выросли" if change > 0 else "снизились" if change < 0
                         else "без изменений"] += 1
            yield group, label, unit, value, old, change, relative

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[0] = f"Итого показателей: {count}"
        row[1] = ", ".join(f"{k}: {self.changes[k]}" for k in ("выросли", "снизились", "без изменений", "нет данных")
                           if self.changes[k] or k != "нет данных")
        return row
