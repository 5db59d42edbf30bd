"""Педагогические сообщества и их деятельность за период."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select

from app.domain import enums as E
from app.domain.names import format_fio, search_key
from app.domain.validators import format_date
from app.services.development.common import organization_label
from app.services.reports.base import (
    DATE, INT, Column, Report, ReportParams, organization_scope, within,
)
from app.storage.models import Community, CommunityMember, Event, Material, Organization, Participation, Teacher

ABSENT = E.Attendance.ABSENT.value


class CommunitiesReport(Report):
    name = "communities"
    title = "Педагогические сообщества и их деятельность"
    sheet = "Сообщества"
    description = ("Сообщества, действовавшие в периоде: решение о создании, модератор, участники, "
                   "мероприятия и материалы периода.")
    columns = (
        Column("Сообщество", width=40),
        Column("Вид", width=24),
        Column("Модератор", width=28),
        Column("Базовая организация", width=28),
        Column("Решение о создании", width=22),
        Column("Действует с", DATE, 12),
        Column("по", DATE, 11),
        Column("Педагогов", INT, 10, total=True),
        Column("Организаций", INT, 11, total=True),
        Column("Мероприятий", INT, 11, total=True),
        Column("Участий в мероприятиях", INT, 12, total=True),
        Column("Материалов", INT, 11, total=True),
    )
    note = "Мероприятия — по дате начала в периоде, материалы — по дате подачи; участия — кроме отсутствовавших."

    def rows(self, db, p: ReportParams):
        C = Community
        with db.read() as s:
            scope = organization_scope(s, p)
            stmt = (select(C, Teacher.last_name, Teacher.first_name, Teacher.middle_name,
                           organization_label(Organization))
                    .outerjoin(Teacher, Teacher.id == C.moderator_id)
                    .outerjoin(Organization, Organization.id == C.base_organization_id)
                    .where(C.deleted_at.is_(None)))
            if p.date_to:
                stmt = stmt.where(or_(C.starts_on.is_(None), C.starts_on <= p.date_to))
            if p.date_from:
                stmt = stmt.where(or_(C.ends_on.is_(None), C.ends_on >= p.date_from))
            found = list(s.execute(stmt))
            live = CommunityMember.deleted_at.is_(None)
            teachers = Counter(dict(s.execute(
                select(CommunityMember.community_id, func.count(func.distinct(CommunityMember.teacher_id)))
                .join(Teacher, Teacher.id == CommunityMember.teacher_id)
                .where(live, Teacher.deleted_at.is_(None)).group_by(CommunityMember.community_id)).all()))
            members_orgs = {}
            for cid, oid in s.execute(select(CommunityMember.community_id, CommunityMember.organization_id)
                                      .where(live, CommunityMember.organization_id.is_not(None))):
                members_orgs.setdefault(cid, set()).add(oid)
            events = Counter(dict(s.execute(
                select(Event.community_id, func.count()).where(Event.deleted_at.is_(None), within(Event.starts_on, p))
                .group_by(Event.community_id)).all()))
            participations = Counter(dict(s.execute(
                select(Event.community_id, func.count()).join(Participation, Participation.event_id == Event.id)
                .where(Event.deleted_at.is_(None), within(Event.starts_on, p), Participation.deleted_at.is_(None),
                       Participation.attendance != ABSENT).group_by(Event.community_id)).all()))
            materials = Counter(dict(s.execute(
                select(Material.community_id, func.count())
                .where(Material.deleted_at.is_(None), within(Material.submitted_on, p))
                .group_by(Material.community_id)).all()))
            s.expunge_all()  # the rows outlive the read session (its rollback would expire them)
        found.sort(key=lambda r: (search_key(r[0].name), r[0].id))
        for c, ml, mf, mm, base in found:
            orgs = members_orgs.get(c.id, set())
            if scope is not None and not (scope & (orgs | {c.base_organization_id})):
                continue
            decision = " от ".join(x for x in (f"№ {c.decision_number}" if c.decision_number else "",
                                               format_date(c.decision_date)) if x)
            yield (c.name, E.CommunityKind.label_of(c.kind), format_fio(ml, mf, mm) if ml else "", base or "",
                   decision, c.starts_on, c.ends_on, teachers[c.id], len(orgs), events[c.id],
                   participations[c.id], materials[c.id])

    def totals(self, sums, count, p):
        row = super().totals(sums, count, p)
        row[0] = f"Итого сообществ: {count}"
        return row
