"""Importing the year plan of events (план образовательных событий) from a spreadsheet.

Columns: №, Название, Вид, Форма, Дата начала, Дата окончания, Организаторы
(names or ИНН, several separated by «;» or «,»), Место/ссылка, Аудитория,
Сообщество, Часы, План на год, Статус. An event is matched by its title and
start date; a matched event is updated only with the non-empty values of the
file that differ, and its organisers are replaced only when the file names
others — so importing the same file again changes nothing. Organisations and
communities must already be in the database: a name that is not found
rejects the row, naming it.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from app.domain.enums import EventFormat, EventKind, EventStatus
from app.services.common.errors import ValidationFailed
from app.services.importing.apply import Importer, Known, ImportRow
from app.services.importing.targets import COMMUNITY, EVENTS, ORGANIZERS, header_key
from app.services.importing.rows import date_value, enum_value, inn_value, text_value, org_key
from app.storage.models import Community, Event, EventOrganizer

_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)

_FORMAT_PREFIXES = (("очнодистанц", EventFormat.MIXED), ("смешан", EventFormat.MIXED),
                    ("гибрид", EventFormat.MIXED), ("дистанц", EventFormat.REMOTE), ("онлайн", EventFormat.REMOTE),
                    ("online", EventFormat.REMOTE), ("заочн", EventFormat.REMOTE), ("очн", EventFormat.IN_PERSON),
                    ("offline", EventFormat.IN_PERSON))
_KIND_KEYS = sorted(((header_key(k.label), k) for k in EventKind), key=lambda p: -len(p[0]))
# Words that name a kind inside a longer text («Районное заседание РМО», «Онлайн-марафон»).
_KIND_EXTRA = (("рмо", EventKind.RMO_MEETING), ("нмс", EventKind.NMS_MEETING),
               ("вебконференц", EventKind.WEB_CONFERENCE), ("конференц", EventKind.CONFERENCE),
               ("мастеркласс", EventKind.MASTER_CLASS), ("марафон", EventKind.MARATHON),
               ("игра", EventKind.NETWORK_GAME), ("консультац", EventKind.CONSULTATION))


def event_kind(text: str) -> str | None:
    """The event kind a cell (or a title) names: a code, a label, or a word of it («РМО» → заседание РМО)."""
    try:
        return EventKind.from_label(text).value
    except ValueError:
        pass
    key = header_key(text)
    for label_key, kind in _KIND_KEYS:
        if key.startswith(label_key):
            return kind.value
    for word, kind in _KIND_EXTRA:
        if word in key:
            return kind.value
    return None


def split_names(text: str) -> list[str]:
    """«ИМЦ; Школа № 5» or «ИМЦ, 7707083893» → the parts (a «;» wins over a «,»)."""
    sep = ";" if ";" in text else ","
    return [p.strip() for p in re.split(rf"[{sep}\n]+", text) if p.strip()]


class EventImporter(Importer):
    TEXT_FIELDS = ("title", "audience", "description", "link")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.communities: dict[str, list[str]] = {}
        for cid, name in s.execute(select(Community.id, Community.name).where(Community.deleted_at.is_(None))):
            self.communities.setdefault(org_key(name), []).append(cid)
        self.events: dict[tuple[str, Any], Known] = {}
        for known in self.load_known(s, Event):
            self.events.setdefault((org_key(known.values["title"]), known.values["starts_on"]), known)
        self.event_orgs: dict[str, list[str]] = {}
        for event_id, org_id in s.execute(
                select(EventOrganizer.event_id, EventOrganizer.organization_id)
                .where(EventOrganizer.deleted_at.is_(None)).order_by(EventOrganizer.created_at, EventOrganizer.id)):
            self.event_orgs.setdefault(event_id, []).append(org_id)
        self.seen: dict[tuple[str, Any], int] = {}

    def field_names_of(self, model) -> list[str]:
        return self.field_names if model is Event else super().field_names_of(model)

    def has_name(self, row: ImportRow) -> bool:
        return row.raw.get("title") is not None

    # -- one row ----------------------------------------------------------
    def convert(self, row: ImportRow) -> list[str]:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = text_value(raw[name])
        if not values.get("title"):
            row.errors.append(("title", "не указано название мероприятия"))
        if raw.get("venue") is not None:
            place = text_value(raw["venue"])
            if _URL.match(place) and not values.get("link"):
                values["link"] = place
            else:
                values["venue"] = place
        for name in ("starts_on", "ends_on"):
            if raw.get(name) is not None:
                values[name] = date_value(raw[name])
        start, end = values.get("starts_on"), values.get("ends_on")
        if hasattr(start, "year") and hasattr(end, "year") and end < start:
            row.errors.append(("ends_on", "не может быть раньше, чем «Дата начала»"))
        if raw.get("kind") is not None:
            values["kind"] = event_kind(text_value(raw["kind"])) or text_value(raw["kind"])
        elif values.get("title"):
            guessed = event_kind(values["title"])
            if guessed:
                values["kind"] = guessed
            else:
                row.errors.append(("kind", "не указан вид мероприятия, и его не видно из названия"))
        if raw.get("format") is not None:
            values["format"] = enum_value(raw["format"], EventFormat, _FORMAT_PREFIXES)
        if raw.get("status") is not None:
            values["status"] = enum_value(raw["status"], EventStatus, (("провед", EventStatus.HELD),
                                                                       ("выполн", EventStatus.HELD),
                                                                       ("отмен", EventStatus.CANCELLED),
                                                                       ("заплан", EventStatus.PLANNED)))
        for name in ("hours", "plan_year"):
            if raw.get(name) is not None:
                values[name] = raw[name] if isinstance(raw[name], (int, float)) else text_value(raw[name])
        if raw.get(COMMUNITY) is not None:
            name = text_value(raw[COMMUNITY])
            found = self.communities.get(org_key(name), [])
            if len(found) == 1:
                values["community_id"] = found[0]
            else:
                row.errors.append((COMMUNITY, f"сообщество «{name}» не найдено в базе" if not found else
                                   f"в базе несколько сообществ «{name}»"))
        return self.organizers(row)

    def organizers(self, row: ImportRow) -> list[str]:
        raw = row.raw.get(ORGANIZERS)
        if raw is None:
            return []
        ids: list[str] = []
        for part in split_names(text_value(raw)):
            digits = re.sub(r"\s+", "", part)
            if digits.isdigit():
                found = [self.orgs_by_inn[inn_value(digits)]] if inn_value(digits) in self.orgs_by_inn else []
                what = f"с ИНН {digits}"
            else:
                found = self.orgs_by_name.get(org_key(part), [])
                what = f"«{part}»"
            if len(found) != 1:
                row.errors.append((ORGANIZERS, f"организация {what} не найдена в базе" if not found else
                                   f"в базе несколько организаций {what}; укажите ИНН"))
            elif found[0] not in ids:
                ids.append(found[0])
        return ids

    def complete(self, row: ImportRow) -> None:
        v = row.values
        if "format" not in v:
            v["format"] = (EventFormat.REMOTE if v.get("link") and not v.get("venue") else EventFormat.IN_PERSON).value
        if "plan_year" not in v:
            year = self.plan.default_year
            if year is None and hasattr(v.get("starts_on"), "year"):
                year = v["starts_on"].year
            if year is not None:
                v["plan_year"] = year

    def import_row(self, row: ImportRow) -> None:
        orgs = self.convert(row)
        key = (org_key(row.values.get("title")), row.values.get("starts_on"))
        if not row.errors and key in self.seen:
            row.errors.append(("title", f"то же мероприятие (название и дата), что в строке {self.seen[key]}; "
                                        "повторная строка не импортируется"))
        self.seen.setdefault(key, row.number)
        known = self.events.get(key)
        if row.errors:
            if known is None:
                self.complete(row)
            self.more_errors(row, creating=known is None)
            self.reject(row)
            return
        try:
            if known is None:
                self.complete(row)
                clean = self.validated(EVENTS, row.values)
                created = self.insert(EVENTS, clean)
                for org_id in orgs:
                    self.insert("event_organizers", {"event_id": created.id, "organization_id": org_id},
                                summary=f"организатор: {self.org_display(org_id)}")
                self.events[key] = created
                self.event_orgs[created.id] = orgs
                self.result.created += 1
            else:
                self.update(row, known, orgs)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    def update(self, row: ImportRow, known: Known, orgs: list[str]) -> None:
        from app.services.events.events import set_organizers_in

        changes = self.changes_for(known, self.normalized(row.values))
        new_orgs = bool(orgs) and set(orgs) != set(self.event_orgs.get(known.id, []))
        if not changes and not new_orgs:
            self.result.unchanged += 1
            return
        if changes:
            self.batch.update(EVENTS, known.id, changes)
            known.values.update(changes)
        if new_orgs:
            set_organizers_in(self.batch, known.id, orgs)
            self.event_orgs[known.id] = orgs
        self.result.updated += 1

