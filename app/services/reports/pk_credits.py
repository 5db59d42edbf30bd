"""Зачётные единицы и часы по педагогам, организациям и годам (накопительный учёт, seed 000).

Counted as the credits ledger counts them (development_ledger): every completed
item of a live route, dated by its actual end or else by its document; credits
as stored, or computed from hours (rounded per item) when none were stored.
One row per teacher and year. SQLite adds the items up per teacher and year
in one grouped pass; the teachers then stream in the order of the sheet and
pick up their sums, so 100,000 teachers cost two scans, not a sorted join.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, or_, select

from app.domain import enums as E
from app.domain import rules
from app.domain.names import format_fio
from app.services.development.common import NO_ORGANIZATION, organization_label, pd_settings
from app.services.reports.base import (
    INT, NUMBER, Column, Report, ReportParams, in_scope, organization_scope, within,
)
from app.storage.models import Organization, Teacher, Trajectory, TrajectoryItem
from app.storage.portable_sql import joined_text, total, year_text


class PkCredits(Report):
    name = "pk-credits"
    title = "Зачётные единицы и часы по педагогам, организациям и годам"
    sheet = "Зачётные единицы"
    description = ("Накопительный учёт: выполненные элементы маршрутов (курсы, стажировки, мероприятия …), "
                   "часы и зачётные единицы каждого педагога по годам.")
    columns = (
        Column("Организация", width=34),
        Column("ФИО", width=32),
        Column("СНИЛС", width=16, personal="snils"),
        Column("Год", INT, 8),
        Column("Элементов", INT, 11, total=True),
        Column("Часов", NUMBER, 10, total=True),
        Column("Зачётных единиц", NUMBER, 12, total=True),
    )

    def note_for(self, db, p):
        return (f"Выполненные элементы маршрутов по дате окончания (или документа); "
                f"1 з. е. = {pd_settings(db).hours_per_credit} ч, если зачётные единицы не указаны.")

    def _sums(self, s, p: ReportParams, per_credit: int) -> dict[str, list[tuple]]:
        """teacher id → [(year, items, hours, credits)], years ascending, undated last."""
        I = TrajectoryItem
        when = func.coalesce(I.actual_end, I.document_date)
        from_hours = and_(or_(I.credits.is_(None), I.credits == 0), I.hours > 0)
        stmt = (
            select(Trajectory.teacher_id, year_text(when), func.count(), total(I.hours),
                   total(case((I.credits != 0, I.credits), else_=0)),
                   joined_text(case((from_hours, I.hours)), ";"))
            .join(Trajectory, Trajectory.id == I.trajectory_id)
            .where(I.deleted_at.is_(None), Trajectory.deleted_at.is_(None),
                   I.status == E.ItemStatus.COMPLETED.value, within(when, p))
            .group_by(Trajectory.teacher_id, year_text(when))
        )
        computed: dict[str, float] = {}

        def credits_for(hours_text: str) -> float:
            value = computed.get(hours_text)
            if value is None:
                value = computed[hours_text] = rules.credits_from_hours(float(hours_text), per_credit)
            return value

        out: dict[str, list[tuple]] = defaultdict(list)
        for teacher_id, year, n, hours, stored, hours_only in s.execute(stmt):
            credits = stored + (sum(credits_for(h) for h in hours_only.split(";")) if hours_only else 0.0)
            out[teacher_id].append((int(year) if year else None, n, round(hours, 2), round(credits, 2)))
        for groups in out.values():
            groups.sort(key=lambda g: (g[0] is None, g[0] or 0))
        return out

    def rows(self, db, p: ReportParams):
        per_credit = pd_settings(db).hours_per_credit
        org = organization_label(Organization)
        with db.read() as s:
            sums = self._sums(s, p, per_credit)
            teachers = (
                select(Teacher.id, org, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.snils)
                .outerjoin(Organization, Organization.id == Teacher.organization_id)
                .where(Teacher.deleted_at.is_(None), in_scope(Teacher.organization_id, organization_scope(s, p)))
                .order_by(Teacher.organization_id.is_(None), org, Teacher.last_name, Teacher.first_name,
                          Teacher.middle_name, Teacher.id)
            )
            for teacher_id, org_name, last, first, middle, snils in s.execute(teachers):
                groups = sums.get(teacher_id)
                if not groups:
                    continue
                head = (org_name or NO_ORGANIZATION, format_fio(last, first, middle), snils or "")
                for group in groups:
                    yield head + group
