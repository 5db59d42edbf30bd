"""Events of the network: organisers, copies, recurring series and the month calendar.

Every public function is one user action and one transaction, written through
RecordService.batch() so that each row is validated and audited as a form
save is.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import and_, func, or_, select

from app.domain import enums as E
from app.domain import rules
from app.domain.validators import format_date
from app.domain.wording import event_name
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.registry.specs import spec_for
from app.services.common.errors import NotFound, ServiceError, ValidationFailed
from app.services.registry.record_bin import cascade
from app.services.registry.service import Batch, RecordService
from app.storage.base import utcnow
from app.storage.database import Database
from app.storage.models import CommunityMember, Event, EventOrganizer, Organization

# How a series repeats: code → (Russian label, the date of meeting n from the first one).
PERIODS: dict[str, tuple[str, object]] = {
    "week": ("еженедельно", lambda start, n: start + timedelta(weeks=n)),
    "two_weeks": ("раз в две недели", lambda start, n: start + timedelta(weeks=2 * n)),
    "month": ("ежемесячно", lambda start, n: rules.add_months(start, n)),
    "quarter": ("раз в квартал", lambda start, n: rules.add_months(start, 3 * n)),
}
MAX_SERIES = 60
# Event fields a copy carries over (dates, status and the series are the copy's own).
COPIED_FIELDS = ("title", "kind", "format", "venue", "link", "audience", "community_id", "hours", "description")


@dataclass(frozen=True)
class CalendarEvent:
    id: str
    title: str
    kind_label: str
    starts_on: date
    ends_on: date | None
    status: str

    def days(self) -> list[date]:
        end = self.ends_on if self.ends_on and self.ends_on >= self.starts_on else self.starts_on
        return [self.starts_on + timedelta(days=i) for i in range((end - self.starts_on).days + 1)]

    def text(self) -> str:
        when = format_date(self.starts_on) + (f" – {format_date(self.ends_on)}"
                                              if self.ends_on and self.ends_on != self.starts_on else "")
        return f"{when} · {event_name(self.kind_label, self.title)}"


def load_event(s, event_id: str) -> Event:
    event = s.get(Event, str(event_id))
    if event is None or event.deleted_at is not None:
        raise NotFound(f"Мероприятие с идентификатором {event_id} не найдено.")
    return event


def events_between(db: Database, first: date, last: date) -> list[CalendarEvent]:
    """Live events that take place (start, end or span) between two dates, in date order."""
    with db.read() as s:
        end = func.coalesce(Event.ends_on, Event.starts_on)
        rows = s.execute(select(Event.id, Event.title, Event.kind, Event.starts_on, Event.ends_on, Event.status)
                         .where(Event.deleted_at.is_(None), Event.starts_on <= last, end >= first)
                         .order_by(Event.starts_on, Event.title, Event.id))
        return [CalendarEvent(r.id, r.title, E.EventKind.label_of(r.kind), r.starts_on, r.ends_on, r.status)
                for r in rows]


def month_calendar(db: Database, year: int, month: int) -> dict[date, list[CalendarEvent]]:
    """{day: events on that day} for one month; a several-day event appears on each of its days."""
    first = date(year, month, 1)
    last = rules.add_months(first, 1) - timedelta(days=1)
    out: dict[date, list[CalendarEvent]] = {}
    for event in events_between(db, first, last):
        for day in event.days():
            if first <= day <= last:
                out.setdefault(day, []).append(event)
    return out


def organizer_ids(db: Database, event_id: str) -> list[str]:
    return [i for i, _name in organizer_names(db, event_id)]


def organizers_in(s, event_id: str) -> list[tuple[str, str]]:
    """(organisation id, short name) of the event's organisers, by name (rows added together share a time)."""
    label = func.coalesce(func.nullif(Organization.short_name, ""), Organization.full_name)
    rows = s.execute(select(Organization.id, label)
                     .join(EventOrganizer, EventOrganizer.organization_id == Organization.id)
                     .where(EventOrganizer.event_id == event_id, EventOrganizer.deleted_at.is_(None)))
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: (r[1].casefold().replace("ё", "е"), r[0]))


def organizer_names(db: Database, event_id: str) -> list[tuple[str, str]]:
    with db.read() as s:
        return organizers_in(s, event_id)


def set_organizers_in(b: Batch, event_id: str, wanted: Iterable[str]) -> None:
    s = b.session
    wanted = list(dict.fromkeys(str(w) for w in wanted if w))
    current = {o.organization_id: o for o in s.scalars(select(EventOrganizer).where(
        EventOrganizer.event_id == event_id, EventOrganizer.deleted_at.is_(None)))}
    for org_id, row in current.items():
        if org_id not in wanted:
            soft_delete(b, "event_organizers", row.id, "организатор мероприятия")
    for org_id in wanted:
        if org_id not in current:
            b.create("event_organizers", {"event_id": event_id, "organization_id": org_id})


def soft_delete(b: Batch, entity: str, record_id: str, summary: str) -> None:
    """Moves one row to the recycle bin inside the batch's transaction, with its audit entry."""
    stamp = utcnow()
    cascade(b.service.db, b.session, spec_for(entity), [record_id], delete_stamp=stamp)
    audit.write(b.session, b.service.actor, "delete", entity, record_id, {"deleted_at": None},
                {"deleted_at": stamp}, summary)


def set_organizers(db: Database, actor: Actor | None, event_id: str, organization_ids: Iterable[str]) -> None:
    """Makes the event's organisers exactly these organisations (one transaction)."""
    service = RecordService(db, actor)
    with service.batch() as b:
        load_event(b.session, event_id)
        set_organizers_in(b, event_id, organization_ids)


def create_event(db: Database, actor: Actor | None, values: dict, organization_ids: Iterable[str] = ()) -> str:
    """A new event with its organisers, in one transaction; the new id."""
    service = RecordService(db, actor)
    with service.batch() as b:
        created = b.create("events", values)
        set_organizers_in(b, created["id"], organization_ids)
        return created["id"]


def copy_event(db: Database, actor: Actor | None, event_id: str, new_start: date) -> str:
    """A copy of the event on another date: same length, organisers copied, no participants or files."""
    service = RecordService(db, actor)
    with service.batch() as b:
        event = load_event(b.session, event_id)
        values = {f: getattr(event, f) for f in COPIED_FIELDS}
        values["starts_on"] = new_start
        values["ends_on"] = (new_start + (event.ends_on - event.starts_on)) if event.ends_on else None
        # A plan year that followed the old date follows the new one; a school-year plan keeps its year.
        same_year = event.plan_year in (None, event.starts_on.year)
        values["plan_year"] = new_start.year if same_year and event.plan_year else event.plan_year
        values["status"] = E.EventStatus.PLANNED.value
        orgs = [i for i, _name in organizers_in(b.session, event.id)]
        created = b.create("events", values)
        set_organizers_in(b, created["id"], orgs)
        return created["id"]


def series_dates(start: date, count: int, period: str) -> list[date]:
    if period not in PERIODS:
        raise ServiceError(f"Неизвестная периодичность «{period}»: "
                           f"{', '.join(label for label, _ in PERIODS.values())}.")
    if not 1 <= count <= MAX_SERIES:
        raise ServiceError(f"Число встреч серии должно быть от 1 до {MAX_SERIES}, указано {count}.")
    step = PERIODS[period][1]
    return [step(start, n) for n in range(count)]


def create_series(db: Database, actor: Actor | None, values: dict, start: date, count: int, period: str,
                  organization_ids: Iterable[str] = (), *, add_community_members: bool = True) -> list[str]:
    """``count`` meetings from ``start`` every ``period``, linked by one series id; the new ids.

    Each meeting gets the organisers and — when the series belongs to a
    community — the community's teachers as participants, so every meeting
    has its attendance sheet ready. All meetings or none (one transaction).
    """
    dates = series_dates(start, count, period)
    series_id = str(uuid.uuid4())
    orgs = list(organization_ids)
    service = RecordService(db, actor)
    ids: list[str] = []
    with service.batch() as b:
        members: list[str] = []
        community_id = values.get("community_id")
        if add_community_members and community_id:
            members = community_teachers_in(b.session, community_id)
        for n, day in enumerate(dates, 1):
            one = dict(values)
            one["starts_on"] = day
            one.pop("ends_on", None)
            if not one.get("plan_year"):
                one["plan_year"] = day.year
            try:
                created = b.create("events", one)
            except ValidationFailed as exc:
                raise ServiceError(f"Встреча {n} ({format_date(day)}): {exc}. Серия не создана.") from exc
            b.session.get(Event, created["id"]).series_id = series_id
            set_organizers_in(b, created["id"], orgs)
            for teacher_id in members:
                b.create("participations", {"event_id": created["id"], "teacher_id": teacher_id,
                                            "role": E.ParticipationRole.PARTICIPANT.value})
            ids.append(created["id"])
    return ids


def series_of(db: Database, event_id: str) -> list[CalendarEvent]:
    """The meetings of the event's series in date order (just the event when it is not in one)."""
    with db.read() as s:
        event = load_event(s, event_id)
        if not event.series_id:
            ids = [event.id]
            cond = Event.id.in_(ids)
        else:
            cond = and_(Event.series_id == event.series_id, Event.deleted_at.is_(None))
        rows = s.execute(select(Event.id, Event.title, Event.kind, Event.starts_on, Event.ends_on, Event.status)
                         .where(cond).order_by(Event.starts_on, Event.id))
        return [CalendarEvent(r.id, r.title, E.EventKind.label_of(r.kind), r.starts_on, r.ends_on, r.status)
                for r in rows]


def community_teachers_in(s, community_id: str) -> list[str]:
    return list(s.scalars(select(CommunityMember.teacher_id).where(
        CommunityMember.community_id == community_id, CommunityMember.deleted_at.is_(None),
        CommunityMember.teacher_id.is_not(None)).order_by(CommunityMember.created_at, CommunityMember.id)))


def plan_condition(year: int):
    """SQL: events of the year's plan — its plan year, or dated that year when no plan year is set."""
    return or_(Event.plan_year == year,
               and_(Event.plan_year.is_(None), Event.starts_on.between(date(year, 1, 1), date(year, 12, 31))))
