"""Who takes part in an event: adding in bulk, roles, the attendance sheet, hours credited.

Saving the attendance sheet is one transaction that also keeps the teachers'
routes in step (events_routes.sync_item).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.domain import enums as E
from app.domain.names import format_fio
from app.services.common.actor import Actor
from app.services.development.common import pd_settings
from app.services.common.errors import NotFound, ServiceError, ValidationFailed
from app.services.events.events import load_event, community_teachers_in, soft_delete
from app.services.events.certificates import revoke_for_absence
from app.services.events.routes import sync_item
from app.services.registry.service import Filters, RecordService
from app.storage.database import Database
from app.storage.models import Organization, Participation, Teacher

MAX_BULK = 5000


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    teacher_id: str | None
    organization_id: str | None
    name: str                   # ФИО of the teacher, or the organisation's name
    organization: str           # the teacher's organisation ("" for an organisation)
    role: str
    attendance: str
    hours: float
    certificate_number: str

    @property
    def role_label(self) -> str:
        return E.ParticipationRole.label_of(self.role)

    @property
    def attendance_label(self) -> str:
        return E.Attendance.label_of(self.attendance)


@dataclass
class AddResult:
    added: int = 0
    skipped: int = 0            # already taking part
    ids: list[str] = field(default_factory=list)

    def text(self) -> str:
        out = f"Добавлено участников: {self.added}"
        if self.skipped:
            out += f"; уже были в списке: {self.skipped}"
        return out + "."


def _org_name(m):
    return func.coalesce(func.nullif(m.short_name, ""), m.full_name)


def participants(db: Database, event_id: str) -> list[ParticipantRow]:
    """The event's participants: teachers by ФИО, then organisations by name."""
    with db.read() as s:
        load_event(s, event_id)
        own_org, teacher_org = aliased(Organization), aliased(Organization)
        rows = s.execute(
            select(Participation, Teacher.last_name, Teacher.first_name, Teacher.middle_name,
                   _org_name(own_org), _org_name(teacher_org))
            .outerjoin(Teacher, Teacher.id == Participation.teacher_id)
            .outerjoin(own_org, own_org.id == Participation.organization_id)
            .outerjoin(teacher_org, teacher_org.id == Teacher.organization_id)
            .where(Participation.event_id == event_id, Participation.deleted_at.is_(None)))
        out = []
        for p, last, first, middle, own, teachers in rows:
            name = format_fio(last, first, middle) if p.teacher_id else (own or "")
            out.append(ParticipantRow(p.id, p.teacher_id, p.organization_id if not p.teacher_id else None, name,
                                      (teachers or "") if p.teacher_id else "", p.role, p.attendance,
                                      float(p.hours or 0), p.certificate_number or ""))
    out.sort(key=lambda r: (r.teacher_id is None, r.name.casefold().replace("ё", "е"), r.id))
    return out


def add_participants(db: Database, actor: Actor | None, event_id: str, *, teacher_ids: Iterable[str] = (),
                     organization_ids: Iterable[str] = (),
                     role: str = E.ParticipationRole.PARTICIPANT.value) -> AddResult:
    """Adds teachers and organisations to the event, skipping those already in it; one transaction."""
    teachers = list(dict.fromkeys(str(t) for t in teacher_ids if t))
    orgs = list(dict.fromkeys(str(o) for o in organization_ids if o))
    if len(teachers) + len(orgs) > MAX_BULK:
        raise ServiceError(f"Слишком много участников за один раз ({len(teachers) + len(orgs)}); "
                           f"можно добавить не больше {MAX_BULK}. Сузьте список.")
    result = AddResult()
    service = RecordService(db, actor)
    with service.batch() as b:
        s = b.session
        load_event(s, event_id)
        live = Participation.deleted_at.is_(None)
        have_t = set(s.scalars(select(Participation.teacher_id).where(
            Participation.event_id == event_id, live, Participation.teacher_id.is_not(None))))
        have_o = set(s.scalars(select(Participation.organization_id).where(
            Participation.event_id == event_id, live, Participation.teacher_id.is_(None))))
        for ref, ids, have in (("teacher_id", teachers, have_t), ("organization_id", orgs, have_o)):
            for record_id in ids:
                if record_id in have:
                    result.skipped += 1
                    continue
                try:
                    created = b.create("participations", {"event_id": event_id, ref: record_id, "role": role})
                except ValidationFailed as exc:
                    raise ServiceError(f"Участник не добавлен: {exc}. Список участников не изменён.") from exc
                have.add(record_id)
                result.ids.append(created["id"])
                result.added += 1
    return result


def teachers_of_organization(db: Database, organization_id: str) -> list[str]:
    with db.read() as s:
        org = s.get(Organization, organization_id)
        if org is None or org.deleted_at is not None:
            raise NotFound(f"Организация с идентификатором {organization_id} не найдена.")
        return list(s.scalars(select(Teacher.id).where(Teacher.organization_id == organization_id,
                                                       Teacher.deleted_at.is_(None))
                              .order_by(Teacher.last_name, Teacher.first_name, Teacher.id)))


def teachers_of_community(db: Database, community_id: str) -> list[str]:
    with db.read() as s:
        return community_teachers_in(s, community_id)


def teachers_of_list(db: Database, search: str | None, filters: Filters = None) -> list[str]:
    """The teachers a filtered list shows (the same search and filters as the Педагоги page)."""
    return RecordService(db).ids("teachers", search=search, filters=filters)


def save_attendance(db: Database, actor: Actor | None, event_id: str,
                    changes: dict[str, dict[str, Any]]) -> int:
    """Writes the attendance sheet: {participation id: {attendance, role, hours}}; one transaction.

    Marking «присутствовал» without hours credits the event's hours. Each
    teacher's route follows (a completed non-formal item, or none), and a
    certificate of one no longer marked present is revoked. Returns
    how many participations changed.
    """
    per_credit = pd_settings(db).hours_per_credit
    service = RecordService(db, actor)
    changed = 0
    absent: list[str] = []
    with service.batch() as b:
        s = b.session
        event = load_event(s, event_id)
        for pid, values in changes.items():
            p = s.get(Participation, pid)
            if p is None or p.deleted_at is not None or p.event_id != event.id:
                raise NotFound(f"Участие {pid} в этом мероприятии не найдено. Отметки не сохранены.")
            values = {k: v for k, v in values.items() if k in ("attendance", "role", "hours")}
            marked_present = values.get("attendance", p.attendance) == E.Attendance.PRESENT.value
            hours = values.get("hours", p.hours)
            if marked_present and not hours and event.hours:
                values["hours"] = event.hours
            try:
                before = (p.attendance, p.role, p.hours)
                b.update("participations", p.id, values)
            except ValidationFailed as exc:
                raise ServiceError(f"{exc}. Отметки не сохранены.") from exc
            if (p.attendance, p.role, p.hours) != before:
                changed += 1
            if before[0] == E.Attendance.PRESENT.value and p.attendance != E.Attendance.PRESENT.value:
                absent.append(p.id)
            sync_item(b, p, per_credit)
        # A certificate attests attendance: one whose attendance is withdrawn is revoked with it.
        revoke_for_absence(s, absent, service.actor)
    return changed


def remove_participants(db: Database, actor: Actor | None, event_id: str, participation_ids: Iterable[str]) -> int:
    """Removes participants (to the recycle bin) and their route items for this event; one transaction."""
    per_credit = pd_settings(db).hours_per_credit
    service = RecordService(db, actor)
    n = 0
    with service.batch() as b:
        s = b.session
        load_event(s, event_id)
        for pid in participation_ids:
            p = s.get(Participation, pid)
            if p is None or p.deleted_at is not None or p.event_id != event_id:
                continue
            soft_delete(b, "participations", p.id, "участие в мероприятии")
            s.refresh(p)
            sync_item(b, p, per_credit)
            n += 1
    return n


def resync_routes(db: Database, actor: Actor | None, event_id: str) -> int:
    """After the event itself changed (title, dates): its items in the attendees' routes follow; one transaction."""
    per_credit = pd_settings(db).hours_per_credit
    service = RecordService(db, actor)
    n = 0
    with service.batch() as b:
        s = b.session
        load_event(s, event_id)
        for p in list(s.scalars(select(Participation).where(
                Participation.event_id == event_id, Participation.deleted_at.is_(None),
                Participation.teacher_id.is_not(None), Participation.attendance == E.Attendance.PRESENT.value))):
            if sync_item(b, p, per_credit):
                n += 1
    return n
