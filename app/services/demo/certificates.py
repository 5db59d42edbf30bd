"""Demonstration data: the certificate register for the participations that carry a certificate number.

The participations generator numbers certificates per year («2026-000123»);
this stage writes the matching register rows (the snapshot the certificates
say) and leaves each year's counter at its last number, so certificates issued
later continue the sequence. Codes come from the generator's seeded random
source, so one seed gives the same register.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from app.domain import enums as E
from app.domain.certificate_codes import ALPHABET, CODE_LENGTH, counter_name
from app.domain.names import format_fio
from app.services.demo.common import DEMO_ACTOR, Writer
from app.storage.models import Certificate, Counter, Event, EventOrganizer, Organization, Participation, Teacher


class CertificatesMixin:
    def certificates(self) -> None:
        s = self.s
        organizers: dict[str, list[tuple[str, str]]] = {}
        for event_id, full_name, head in s.execute(
                select(EventOrganizer.event_id, Organization.full_name, Organization.head_name)
                .join(Organization, Organization.id == EventOrganizer.organization_id)
                .order_by(EventOrganizer.event_id, EventOrganizer.id)):
            organizers.setdefault(event_id, []).append((full_name, head or ""))
        fallback = f"Муниципальная методическая служба ({self.name})"
        rows = s.execute(
            select(Participation.id, Participation.event_id, Participation.teacher_id, Participation.role,
                   Participation.hours, Participation.certificate_number, Teacher.last_name, Teacher.first_name,
                   Teacher.middle_name, Organization.full_name, Event.title, Event.kind, Event.starts_on,
                   Event.ends_on, Event.hours.label("event_hours"))
            .join(Teacher, Teacher.id == Participation.teacher_id)
            .outerjoin(Organization, Organization.id == Teacher.organization_id)
            .join(Event, Event.id == Participation.event_id)
            .where(Participation.certificate_number != "")
            .order_by(Participation.certificate_number))
        w = Writer(self, Certificate)
        used: set[str] = set()
        last: dict[int, int] = {}
        for r in rows:
            code = self._certificate_code(used)
            issued = datetime.combine((r.ends_on or r.starts_on) + timedelta(days=self.rng.randint(1, 10)),
                                      time(9 + self.rng.randint(0, 8), self.rng.randint(0, 59)))
            orgs = organizers.get(r.event_id, [])
            year, seq = r.certificate_number.split("-")
            last[int(year)] = max(last.get(int(year), 0), int(seq))
            w.add(self.row(
                number=r.certificate_number, verification_code=code, participation_id=r.id, event_id=r.event_id,
                teacher_id=r.teacher_id, organization_id=None,
                recipient_name=format_fio(r.last_name, r.first_name, r.middle_name),
                organization_name=r.full_name or "", event_title=r.title,
                event_kind=E.EventKind.label_of(r.kind), event_starts_on=r.starts_on, event_ends_on=r.ends_on,
                hours=r.hours or r.event_hours or 0.0, role=E.ParticipationRole.label_of(r.role),
                organizer=("; ".join(name for name, _ in orgs) or fallback)[:1000],
                signer_name=(orgs[0][1] if orgs else "")[:255],
                issued_at=issued, issued_by=DEMO_ACTOR, revoked_at=None, revoked_by="", revoked_reason=""))
        w.flush()
        for year, value in sorted(last.items()):
            s.execute(insert(Counter).values(name=counter_name(year), value=value))

    def _certificate_code(self, used: set[str]) -> str:
        while True:
            code = "".join(self.rng.choices(ALPHABET, k=CODE_LENGTH))
            if code not in used:
                used.add(code)
                return code
