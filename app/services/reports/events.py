"""Сетевые мероприятия за период по видам: участники и организации."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from app.domain import enums as E
from app.domain.names import search_key
from app.services.development.common import organization_label
from app.services.reports.base import (
    DATE, INT, NUMBER, Column, Report, ReportParams, organization_scope, within,
)
from app.storage.models import Event, EventOrganizer, Organization, Participation, Teacher

ABSENT = E.Attendance.ABSENT.value


class EventsReport(Report):
    name = "events"
    title = "Сетевые мероприятия за период"
    sheet = "Мероприятия"
    description = ("Мероприятия периода по видам: даты, организаторы, число педагогов и организаций — "
                   "участников (кроме отсутствовавших).")
    pdf = True
    columns = (
        Column("Вид", width=22),
        Column("Дата", DATE, 11),
        Column("Мероприятие", width=44),
        Column("Формат", width=13),
        Column("Организаторы", width=30),
        Column("Педагогов", INT, 10, total=True),
        Column("Организаций", INT, 11, total=True),
        Column("Часов", NUMBER, 8, total=True),
        Column("Состояние", width=14),
    )
    note = ("Педагогов — участвовавших лично (отсутствовавшие не считаются); организаций — участвовавших "
            "как организация или через своих педагогов.")

    def rows(self, db, p: ReportParams):
        with db.read() as s:
            scope = organization_scope(s, p)
            events = list(s.execute(select(Event).where(Event.deleted_at.is_(None), within(Event.starts_on, p)))
                          .scalars())
            ids = [e.id for e in events]
            organizers: dict[str, list[tuple[str, str]]] = defaultdict(list)
            teachers: dict[str, set[str]] = defaultdict(set)
            orgs: dict[str, set[str]] = defaultdict(set)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for event_id, org_id, label in s.execute(
                        select(EventOrganizer.event_id, EventOrganizer.organization_id, organization_label(Organization))
                        .join(Organization, Organization.id == EventOrganizer.organization_id)
                        .where(EventOrganizer.event_id.in_(chunk), EventOrganizer.deleted_at.is_(None))):
                    organizers[event_id].append((org_id, label))
                for event_id, teacher_id, org_id, teacher_org in s.execute(
                        select(Participation.event_id, Participation.teacher_id, Participation.organization_id,
                               Teacher.organization_id)
                        .outerjoin(Teacher, Teacher.id == Participation.teacher_id)
                        .where(Participation.event_id.in_(chunk), Participation.deleted_at.is_(None),
                               Participation.attendance != ABSENT,
                               or_(Participation.teacher_id.is_(None), Teacher.deleted_at.is_(None)))):
                    if teacher_id:
                        teachers[event_id].add(teacher_id)
                    if org_id or teacher_org:
                        orgs[event_id].add(org_id or teacher_org)
            s.expunge_all()  # the rows outlive the read session (its rollback would expire them)
        kind_order = {m.value: i for i, m in enumerate(E.EventKind)}
        events.sort(key=lambda e: (kind_order.get(e.kind, len(kind_order)), e.starts_on, search_key(e.title), e.id))
        for e in events:
            if scope is not None and not (scope & ({o for o, _ in organizers[e.id]} | orgs[e.id])):
                continue
            names = sorted(label for _, label in organizers[e.id])
            yield (E.EventKind.label_of(e.kind), e.starts_on, e.title, E.EventFormat.label_of(e.format),
                   "; ".join(names), len(teachers[e.id]), len(orgs[e.id]), float(e.hours or 0),
                   E.EventStatus.label_of(e.status))

    def totals(self, sums, count, p):
        row = super().totals(sums, count, p)
        row[0] = f"Итого мероприятий: {count}"
        return row
