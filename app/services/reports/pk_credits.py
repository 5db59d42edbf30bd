"""Зачётные единицы и часы по педагогам, организациям и годам (накопительный учёт, seed 000).

Counted as the credits ledger counts them (development_ledger): every completed
item of a live route, dated by its actual end or else by its document; credits
as stored, or computed from hours when none were stored. One row per teacher
and year; the rows stream from one ordered query, so 100,000 teachers never
sit in memory.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.domain import enums as E
from app.domain.names import format_fio
from app.services.development_common import NO_ORGANIZATION, item_credits, organization_label, pd_settings
from app.services.reports.base import (
    INT, NUMBER, Column, Report, ReportParams, in_scope, organization_scope, within,
)
from app.storage.models import Organization, Teacher, Trajectory, TrajectoryItem

CENT = Decimal("0.01")


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

    def _query(self, s, p: ReportParams):
        when = func.coalesce(TrajectoryItem.actual_end, TrajectoryItem.document_date)
        org = organization_label(Organization)
        return (
            select(org, Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.snils,
                   func.strftime("%Y", when), TrajectoryItem.hours, TrajectoryItem.credits)
            .join(Trajectory, Trajectory.id == TrajectoryItem.trajectory_id)
            .join(Teacher, Teacher.id == Trajectory.teacher_id)
            .outerjoin(Organization, Organization.id == Teacher.organization_id)
            .where(TrajectoryItem.deleted_at.is_(None), Trajectory.deleted_at.is_(None),
                   Teacher.deleted_at.is_(None), TrajectoryItem.status == E.ItemStatus.COMPLETED.value,
                   in_scope(Teacher.organization_id, organization_scope(s, p)),
                   within(when, p))
            .order_by(Teacher.organization_id.is_(None), org, Teacher.last_name, Teacher.first_name,
                      Teacher.middle_name, Teacher.id, when.is_(None), when)
        )

    def rows(self, db, p: ReportParams):
        per_credit = pd_settings(db).hours_per_credit
        with db.read() as s:
            key, group = None, None
            for org, tid, last, first, middle, snils, year, hours, credits in s.execute(self._query(s, p)):
                year = int(year) if year else None
                if (tid, year) != key:
                    if group is not None:
                        yield _finish(group)
                    key = (tid, year)
                    group = [org or NO_ORGANIZATION, format_fio(last, first, middle), snils or "", year,
                             0, Decimal(0), Decimal(0)]
                group[4] += 1
                group[5] += Decimal(str(hours or 0))
                group[6] += Decimal(str(item_credits(hours, credits, per_credit)[0]))
            if group is not None:
                yield _finish(group)


def _finish(group: list) -> tuple:
    group[5] = float(group[5].quantize(CENT))
    group[6] = float(group[6].quantize(CENT))
    return tuple(group)
