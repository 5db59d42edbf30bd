"""Certificates of participation: the register, issuing, verifying, revoking.

A certificate is issued only for a participation whose attendance is marked
«присутствовал». Each participation has at most one valid certificate: issuing
again returns the register entry already made (same number, same code) unless
it was revoked. The register row keeps the text the certificate says, so that
checking a code shows the register's wording and an edited PDF is caught.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.wording import event_name
from app.domain import enums as E
from app.domain.certificate_codes import (
    CodeFormatError, counter_name, format_code, new_code, normalize_code, register_number,
)
from app.domain.names import search_key
from app.domain.validators import format_date
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.events.certificate_participants import NOT_PRESENT, recipient
from app.services.common.errors import NotFound, ServiceError
from app.services.registry.record_search import contains
from app.storage.base import utcnow
from app.storage.database import Database
from app.storage.numbering import next_counter
from app.storage.models import AppMeta, Certificate, Event, EventOrganizer, Organization, Participation

ENTITY = "certificates"


@dataclass(frozen=True)
class CertificateRecord:
    """One register entry: exactly what the certificate says, and its state."""

    id: str
    number: str
    code: str                       # grouped «XXXX-XXXX-XX»
    recipient_name: str
    organization_name: str
    event_title: str
    event_kind: str
    event_starts_on: date
    event_ends_on: date | None
    hours: float
    role: str
    organizer: str
    signer_name: str
    issued_at: datetime
    issued_by: str
    revoked_at: datetime | None
    revoked_by: str
    revoked_reason: str
    participation_id: str
    event_id: str
    teacher_id: str | None

    @property
    def issued_on(self) -> date:
        """The date of issue as printed: the local calendar day (the register keeps UTC)."""
        return local_time(self.issued_at).date()

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def status_label(self) -> str:
        if self.is_valid:
            return "Действителен"
        return f"Отозван {format_date(local_time(self.revoked_at).date())}"

    @property
    def dates_text(self) -> str:
        """«12.03.2026» or «12.03.2026 – 14.03.2026»."""
        start, end = self.event_starts_on, self.event_ends_on
        if end and end != start:
            return f"{format_date(start)} – {format_date(end)}"
        return format_date(start)

    @property
    def hours_text(self) -> str:
        if not self.hours:
            return ""
        value = f"{self.hours:g}".replace(".", ",")
        return f"{value} ч."

    def lines(self) -> list[tuple[str, str]]:
        """The full contents as «label: value» pairs (verification, details, CLI)."""
        pairs = [
            ("Номер", self.number),
            ("Код проверки", self.code),
            ("Состояние", self.status_label),
            ("Кому выдан", self.recipient_name),
            ("Организация", self.organization_name or "—"),
            ("Роль", self.role),
            ("Мероприятие", event_name(self.event_kind, self.event_title)),
            ("Даты проведения", self.dates_text),
            ("Объём", self.hours_text or "—"),
            ("Организатор", self.organizer or "—"),
            ("Выдан", f"{local_time(self.issued_at):%d.%m.%Y %H:%M}, {self.issued_by}"),
        ]
        if not self.is_valid:
            pairs.append(("Отозван", f"{local_time(self.revoked_at):%d.%m.%Y %H:%M}, {self.revoked_by}"))
            pairs.append(("Причина отзыва", self.revoked_reason or "—"))
        return pairs


@dataclass(frozen=True)
class IssueResult:
    certificates: list[CertificateRecord]     # in the order asked (existing ones included)
    new_count: int
    skipped: list[tuple[str, str]]            # (participant, reason)


def local_time(moment: datetime) -> datetime:
    """A UTC timestamp of the register in this computer's time zone (naive, for display)."""
    return moment.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)


# -- reading -------------------------------------------------------------------------------------

def _record(c: Certificate) -> CertificateRecord:
    return CertificateRecord(
        id=c.id, number=c.number, code=format_code(c.verification_code), recipient_name=c.recipient_name,
        organization_name=c.organization_name, event_title=c.event_title, event_kind=c.event_kind,
        event_starts_on=c.event_starts_on, event_ends_on=c.event_ends_on, hours=c.hours or 0.0, role=c.role,
        organizer=c.organizer, signer_name=c.signer_name, issued_at=c.issued_at, issued_by=c.issued_by,
        revoked_at=c.revoked_at, revoked_by=c.revoked_by, revoked_reason=c.revoked_reason,
        participation_id=c.participation_id, event_id=c.event_id, teacher_id=c.teacher_id)


def verify(db: Database, typed_code: str) -> CertificateRecord:
    """The register entry for a code as typed (case, spaces and dashes do not matter).

    Raises ServiceError with a Russian message for a malformed or unknown code.
    """
    try:
        code = normalize_code(typed_code)
    except CodeFormatError as exc:
        raise ServiceError(str(exc)) from None
    with db.read() as s:
        c = s.scalar(select(Certificate).where(Certificate.verification_code == code,
                                               Certificate.deleted_at.is_(None)))
        if c is None:
            raise NotFound(f"Сертификат с кодом {format_code(code)} в реестре не найден. Проверьте код; "
                           "если он переписан верно, документ не выдавался этой методической службой.")
        return _record(c)


def get_certificate(db: Database, certificate_id: str) -> CertificateRecord:
    with db.read() as s:
        c = s.get(Certificate, certificate_id)
        if c is None or c.deleted_at is not None:
            raise NotFound(f"Сертификат с идентификатором {certificate_id} не найден в реестре.")
        return _record(c)


def list_certificates(db: Database, *, search: str = "", event_id: str | None = None,
                      include_revoked: bool = True, limit: int | None = None) -> list[CertificateRecord]:
    """The register, newest first; every word of ``search`` must occur (number, code, name, event)."""
    # Plain rows, not ORM objects: a register of tens of thousands reads several times faster.
    stmt = _register_filter(db, select(*Certificate.__table__.c), search, event_id, include_revoked)
    stmt = stmt.order_by(Certificate.issued_at.desc(), Certificate.number.desc()).limit(limit)
    with db.read() as s:
        return [_record(row) for row in s.execute(stmt)]


def count_certificates(db: Database, *, search: str = "", event_id: str | None = None,
                       include_revoked: bool = True) -> int:
    stmt = _register_filter(db, select(func.count()).select_from(Certificate), search, event_id, include_revoked)
    with db.read() as s:
        return s.scalar(stmt) or 0


def _register_filter(db: Database, stmt, search: str, event_id: str | None, include_revoked: bool):
    stmt = stmt.where(Certificate.deleted_at.is_(None))
    if event_id:
        stmt = stmt.where(Certificate.event_id == event_id)
    if not include_revoked:
        stmt = stmt.where(Certificate.revoked_at.is_(None))
    for word in search_key(search).split():
        # A code is typed with or without its dashes; the key holds it without.
        plain = word.replace("-", "") if re.fullmatch(r"[0-9a-z-]{3,}", word) else word
        clause = contains(db.is_sqlite, Certificate.search_key, word)
        if plain != word:
            clause = clause | contains(db.is_sqlite, Certificate.search_key, plain)
        stmt = stmt.where(clause)
    return stmt


# -- writing -------------------------------------------------------------------------------------

def issue_certificates(db: Database, event_id: str, participation_ids: Iterable[str] | None = None, *,
                       actor: Actor | None = None, now: datetime | None = None) -> IssueResult:
    """Issues certificates (one transaction) for the given participations of the event, or for all.

    Participations not marked present are skipped with the reason; those that
    already hold a valid certificate get it back unchanged.
    """
    actor = actor or Actor.system_user()
    wanted = list(dict.fromkeys(participation_ids)) if participation_ids is not None else None
    with db.session() as s:
        event = s.get(Event, event_id)
        if event is None or event.deleted_at is not None:
            raise NotFound(f"Мероприятие с идентификатором {event_id} не найдено.")
        stmt = select(Participation).where(Participation.event_id == event_id, Participation.deleted_at.is_(None))
        by_id = {p.id: p for p in s.scalars(stmt)}
        if wanted is None:
            chosen = list(by_id.values())
        else:
            missing = [pid for pid in wanted if pid not in by_id]
            if missing:
                raise NotFound(f"Участие {missing[0]} не относится к мероприятию «{event.title}» или удалено.")
            chosen = [by_id[pid] for pid in wanted]
        existing = {c.participation_id: c for c in s.scalars(select(Certificate).where(
            Certificate.event_id == event_id, Certificate.deleted_at.is_(None), Certificate.revoked_at.is_(None)))}
        common = _event_snapshot(s, event)
        issued, skipped, new = [], [], 0
        for p in chosen:
            name, org = recipient(s, p)
            if p.attendance != E.Attendance.PRESENT.value:
                skipped.append((name, NOT_PRESENT))
                continue
            cert = existing.get(p.id)
            if cert is None:
                cert = _new_certificate(s, db, event, p, name, org, common, actor, now or utcnow())
                new += 1
            issued.append(cert)
        s.flush()
        return IssueResult([_record(c) for c in issued], new, skipped)


def issue_certificate(db: Database, participation_id: str, *, actor: Actor | None = None) -> CertificateRecord:
    """The certificate of one participation (the existing one if already issued)."""
    with db.read() as s:
        p = s.get(Participation, participation_id)
        if p is None or p.deleted_at is not None:
            raise NotFound(f"Участие с идентификатором {participation_id} не найдено.")
        event_id = p.event_id
    result = issue_certificates(db, event_id, [participation_id], actor=actor)
    if not result.certificates:
        name, reason = result.skipped[0]
        raise ServiceError(f"Сертификат не выдан: {name} — {reason}. Сначала отметьте посещение.")
    return result.certificates[0]


def revoke(db: Database, certificate_id: str, reason: str, *, actor: Actor | None = None) -> CertificateRecord:
    """Marks a certificate revoked; verification keeps showing it, as revoked, with the reason."""
    actor = actor or Actor.system_user()
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError("Укажите причину отзыва сертификата.")
    with db.session() as s:
        c = s.get(Certificate, certificate_id)
        if c is None or c.deleted_at is not None:
            raise NotFound(f"Сертификат с идентификатором {certificate_id} не найден в реестре.")
        if c.revoked_at is not None:
            raise ServiceError(f"Сертификат № {c.number} уже отозван.")
        _revoke(s, c, actor, reason)
        return _record(c)


ATTENDANCE_WITHDRAWN = "посещение снято: участник не отмечен как «Присутствовал»"


def revoke_for_absence(s: Session, participation_ids: Iterable[str], actor: Actor) -> list[str]:
    """Inside the caller's transaction: revokes the valid certificates of participations no longer
    marked present (a certificate attests attendance); the numbers revoked."""
    ids = list(participation_ids)
    if not ids:
        return []
    valid = s.scalars(select(Certificate).where(
        Certificate.participation_id.in_(ids), Certificate.deleted_at.is_(None),
        Certificate.revoked_at.is_(None))).all()
    for c in valid:
        _revoke(s, c, actor, ATTENDANCE_WITHDRAWN)
    return [c.number for c in valid]


def _revoke(s: Session, c: Certificate, actor: Actor, reason: str) -> None:
    c.revoked_at, c.revoked_by, c.revoked_reason = utcnow(), actor.name, reason
    p = s.get(Participation, c.participation_id)
    if p is not None and p.certificate_number == c.number:
        p.certificate_number = ""
    audit.write(s, actor, "update", ENTITY, c.id, {"revoked_at": None}, {"revoked_at": c.revoked_at,
                "revoked_reason": reason}, f"№ {c.number}, {c.recipient_name}: отозван")
    s.flush()


def _new_certificate(s: Session, db: Database, event: Event, p: Participation, name: str, org: str,
                     common: dict, actor: Actor, now: datetime) -> Certificate:
    year = now.year
    number = register_number(year, next_counter(s, counter_name(year)))
    code = _unused_code(s)
    hours = p.hours if p.hours and p.hours > 0 else (event.hours or 0.0)
    c = Certificate(number=number, verification_code=code, participation_id=p.id, event_id=event.id,
                    teacher_id=p.teacher_id, organization_id=p.organization_id if not p.teacher_id else None,
                    recipient_name=name, organization_name=org, hours=hours,
                    role=E.ParticipationRole.label_of(p.role or "participant"),
                    issued_at=now, issued_by=actor.name, revoked_by="", revoked_reason="", **common)
    s.add(c)
    p.certificate_number = number
    s.flush()
    audit.write(s, actor, "create", ENTITY, c.id, {}, {"number": number, "participation_id": p.id},
                f"№ {number}, {name}, «{event.title}»")
    return c


def _unused_code(s: Session) -> str:
    # 2^50 codes: a clash is astronomically rare, but a unique index would abort the whole batch.
    for _ in range(20):
        code = new_code()
        if s.scalar(select(Certificate.id).where(Certificate.verification_code == code)) is None:
            return code
    raise ServiceError("Не удалось подобрать свободный код проверки; повторите выдачу.")  # pragma: no cover


def _event_snapshot(s: Session, event: Event) -> dict:
    organizers = s.scalars(select(Organization).join(EventOrganizer, EventOrganizer.organization_id == Organization.id)
                           .where(EventOrganizer.event_id == event.id, EventOrganizer.deleted_at.is_(None),
                                  Organization.deleted_at.is_(None))
                           .order_by(EventOrganizer.created_at)).all()
    if organizers:
        organizer = "; ".join(o.full_name for o in organizers)
        signer = organizers[0].head_name or ""
    else:
        municipality = s.scalar(select(AppMeta.value).where(AppMeta.key == "municipality_name")) or ""
        organizer = "Муниципальная методическая служба" + (f" ({municipality})" if municipality else "")
        signer = ""
    return dict(event_title=event.title, event_kind=E.EventKind.label_of(event.kind),
                event_starts_on=event.starts_on, event_ends_on=event.ends_on,
                organizer=organizer[:1000], signer_name=signer[:255])
