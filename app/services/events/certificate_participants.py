"""The event side of certificates: finding the event, its participants and how each is named.

Used by app.services.events.certificates (which re-exports these names) and the
certificates dialog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import enums as E
from app.domain.names import format_fio, search_key
from app.domain.validators import format_date
from app.services.common.errors import NotFound, ServiceError
from app.storage.database import Database
from app.storage.models import Certificate, Event, Organization, Participation, Teacher

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NOT_PRESENT = "посещение не отмечено как «Присутствовал»"


@dataclass(frozen=True)
class ParticipantRow:
    """A participation of an event as the certificates dialog lists it."""

    participation_id: str
    name: str
    organization_name: str
    role: str
    attendance: str                 # code (E.Attendance)
    attendance_label: str
    hours: float
    certificate_number: str         # of the valid certificate, "" if none

    @property
    def is_present(self) -> bool:
        return self.attendance == E.Attendance.PRESENT.value


@dataclass(frozen=True)
class EventInfo:
    id: str
    title: str
    starts_on: date
    kind_label: str


def event_info(db: Database, event_id: str) -> EventInfo:
    with db.read() as s:
        ev = s.get(Event, event_id)
        if ev is None or ev.deleted_at is not None:
            raise NotFound(f"Мероприятие с идентификатором {event_id} не найдено.")
        return EventInfo(ev.id, ev.title, ev.starts_on, E.EventKind.label_of(ev.kind))


def find_event(db: Database, text: str) -> str:
    """An event id from its id or a fragment of its title that names exactly one event."""
    text = (text or "").strip()
    if not text:
        raise ServiceError("Укажите мероприятие: идентификатор или часть названия.")
    with db.read() as s:
        if _UUID.match(text):
            ev = s.get(Event, text.lower())
            if ev is not None and ev.deleted_at is None:
                return ev.id
            raise NotFound(f"Мероприятие с идентификатором {text} не найдено.")
        key = search_key(text)
        rows = s.execute(select(Event.id, Event.title, Event.starts_on).where(
            Event.deleted_at.is_(None), Event.search_key.contains(key, autoescape=True))
            .order_by(Event.starts_on).limit(6)).all()
    if not rows:
        raise NotFound(f"Мероприятие, в названии которого есть «{text}», не найдено.")
    exact = [r for r in rows if search_key(r.title) == key]
    if len(exact) == 1:
        return exact[0].id
    if len(rows) > 1:
        listed = "\n".join(f"  {r.id}  {format_date(r.starts_on)}  {r.title}" for r in rows[:5])
        raise ServiceError(f"Под «{text}» подходит несколько мероприятий; уточните название или укажите "
                           f"идентификатор:\n{listed}")
    return rows[0].id


def participants(db: Database, event_id: str) -> list[ParticipantRow]:
    """Everyone taking part in the event, with attendance and the valid certificate's number."""
    with db.read() as s:
        if s.get(Event, event_id) is None:
            raise NotFound(f"Мероприятие с идентификатором {event_id} не найдено.")
        parts = s.scalars(select(Participation).where(Participation.event_id == event_id,
                                                      Participation.deleted_at.is_(None))).all()
        valid = dict(s.execute(select(Certificate.participation_id, Certificate.number).where(
            Certificate.event_id == event_id, Certificate.deleted_at.is_(None),
            Certificate.revoked_at.is_(None))).all())
        rows = []
        for p in parts:
            name, org = recipient(s, p)
            rows.append(ParticipantRow(p.id, name, org, E.ParticipationRole.label_of(p.role or "participant"),
                                       p.attendance or "unknown", E.Attendance.label_of(p.attendance or "unknown"),
                                       p.hours or 0.0, valid.get(p.id, "")))
    rows.sort(key=lambda r: search_key(r.name))
    return rows


def recipient(s: Session, p: Participation) -> tuple[str, str]:
    """(name, organisation) as the certificate names the participant."""
    if p.teacher_id:
        t = s.get(Teacher, p.teacher_id)
        if t is not None:
            # The organisation named in the participation (a teacher sent by another school) comes first.
            org_id = p.organization_id or t.organization_id
            org = s.get(Organization, org_id) if org_id else None
            return format_fio(t.last_name, t.first_name, t.middle_name), (org.full_name if org else "")
    if p.organization_id:
        o = s.get(Organization, p.organization_id)
        if o is not None:
            return o.full_name, ""
    return "Участник не указан", ""
