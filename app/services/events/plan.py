"""The year plan of events (план образовательных событий) as rows for a spreadsheet.

The columns are the ones the plan import reads (import_events), so an
exported plan imported again changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain import enums as E
from app.services.common.errors import ServiceError
from app.services.events.events import plan_condition
from app.storage.database import Database
from app.storage.models import Community, Event, EventOrganizer, Organization

PLAN_COLUMNS = ("№", "Название", "Вид", "Форма", "Дата начала", "Дата окончания", "Организаторы",
                "Место проведения", "Ссылка", "Аудитория", "Сообщество", "Часы", "План на год", "Статус")


@dataclass(frozen=True)
class PlanRow:
    number: int
    title: str
    kind: str
    format: str
    starts_on: date
    ends_on: date | None
    organizers: str             # «ИМЦ; Школа № 5»
    venue: str
    link: str
    audience: str
    community: str
    hours: float
    plan_year: int | None
    status: str

    def cells(self) -> list:
        hours = int(self.hours) if float(self.hours).is_integer() else self.hours
        return [self.number, self.title, self.kind, self.format, self.starts_on, self.ends_on, self.organizers,
                self.venue, self.link, self.audience, self.community, hours or None, self.plan_year, self.status]


def plan_rows(db: Database, year: int) -> list[PlanRow]:
    """The events of the year's plan in date order, with their organisers' names."""
    if not 1900 <= int(year) <= 2200:
        raise ServiceError(f"Год плана «{year}» указан неверно: ожидается четырёхзначный год, например 2025.")
    with db.read() as s:
        events = list(s.scalars(select(Event).where(Event.deleted_at.is_(None), plan_condition(int(year)))
                                .order_by(Event.starts_on, Event.title, Event.id)))
        ids = [e.id for e in events]
        names: dict[str, list[str]] = {}
        for event_id, name in s.execute(
                select(EventOrganizer.event_id,
                       func.coalesce(func.nullif(Organization.short_name, ""), Organization.full_name))
                .join(Organization, Organization.id == EventOrganizer.organization_id)
                .where(EventOrganizer.event_id.in_(ids), EventOrganizer.deleted_at.is_(None))
                .order_by(Organization.short_name, Organization.full_name)):
            names.setdefault(event_id, []).append(name)
        for listed in names.values():
            listed.sort(key=lambda n: n.casefold().replace("ё", "е"))
        communities = {r[0]: r[1] for r in s.execute(select(Community.id, Community.name))}
        return [PlanRow(n, e.title, E.EventKind.label_of(e.kind), E.EventFormat.label_of(e.format), e.starts_on,
                        e.ends_on, "; ".join(names.get(e.id, [])), e.venue or "", e.link or "", e.audience or "",
                        communities.get(e.community_id, "") if e.community_id else "", float(e.hours or 0),
                        e.plan_year, E.EventStatus.label_of(e.status))
                for n, e in enumerate(events, 1)]
