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
from app.services.importing.apply import _Importer, _Known, _Row
from app.services.importing.plan import EVENTS, Target, _t, header_key
from app.services.importing.rows import _date_value, _enum_value, _inn_value, _text, org_key
from app.storage.models import Community, Event, EventOrganizer

ORGANIZERS = "organizers"
COMMUNITY = "community"
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)

EVENT_TARGETS: tuple[Target, ...] = (
    _t("title", "Название мероприятия", "название", "наименование", "названиемероприятия",
       "наименованиемероприятия", "мероприятие", "тема", "темамероприятия", "содержание"),
    _t("kind", "Вид мероприятия", "вид", "видмероприятия", "типмероприятия", "тип", "формамероприятия"),
    _t("format", "Форма (очно / дистанционно / смешанно)", "форма", "формапроведения", "формат",
       "формаучастия", "форматпроведения"),
    _t("starts_on", "Дата начала", "датаначала", "дата", "датапроведения", "начало", "срокпроведения",
       "сроки", "срок", is_date=True),
    _t("ends_on", "Дата окончания", "датаокончания", "окончание", "датазавершения", is_date=True),
    _t(ORGANIZERS, "Организаторы (названия или ИНН)", "организаторы", "организатор", "ответственные",
       "ответственный", "ответственнаяорганизация", "организаторымероприятия", "организациюорганизатор"),
    _t("venue", "Место проведения (или ссылка)", "местоссылка", "местопроведения", "место",
       "площадка", "местопроведенияссылка", "адрес"),
    _t("link", "Ссылка", "ссылка", "ссылканатрансляцию", "ссылкадляподключения", "url"),
    _t("audience", "Целевая аудитория", "аудитория", "целеваяаудитория", "участники", "категорияучастников",
       "длякого"),
    _t(COMMUNITY, "Сообщество", "сообщество", "рмо", "педагогическоесообщество", "методическоеобъединение"),
    _t("hours", "Часы", "часы", "часов", "количествочасов", "объемчасов", "объем"),
    _t("plan_year", "План на год", "планнагод", "годплана", "год"),
    _t("status", "Статус", "статус", "состояние", "отметкаовыполнении"),
    _t("description", "Описание", "описание", "примечание", "примечания", "комментарий"),
)

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


class _EventImporter(_Importer):
    TEXT_FIELDS = ("title", "audience", "description", "link")

    def preload(self, s) -> None:
        self.preload_organizations(s)
        self.communities: dict[str, list[str]] = {}
        for cid, name in s.execute(select(Community.id, Community.name).where(Community.deleted_at.is_(None))):
            self.communities.setdefault(org_key(name), []).append(cid)
        self.events: dict[tuple[str, Any], _Known] = {}
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

    def has_name(self, row: _Row) -> bool:
        return row.raw.get("title") is not None

    # -- one row ----------------------------------------------------------
    def convert(self, row: _Row) -> list[str]:
        raw, values = row.raw, row.values
        for name in self.TEXT_FIELDS:
            if raw.get(name) is not None:
                values[name] = _text(raw[name])
        if not values.get("title"):
            row.errors.append(("title", "не указано название мероприятия"))
        if raw.get("venue") is not None:
            place = _text(raw["venue"])
            if _URL.match(place) and not values.get("link"):
                values["link"] = place
            else:
                values["venue"] = place
        for name in ("starts_on", "ends_on"):
            if raw.get(name) is not None:
                values[name] = _date_value(raw[name])
        start, end = values.get("starts_on"), values.get("ends_on")
        if hasattr(start, "year") and hasattr(end, "year") and end < start:
            row.errors.append(("ends_on", "не может быть раньше, чем «Дата начала»"))
        if raw.get("kind") is not None:
            values["kind"] = event_kind(_text(raw["kind"])) or _text(raw["kind"])
        elif values.get("title"):
            guessed = event_kind(values["title"])
            if guessed:
                values["kind"] = guessed
            else:
                row.errors.append(("kind", "не указан вид мероприятия, и его не видно из названия"))
        if raw.get("format") is not None:
            values["format"] = _enum_value(raw["format"], EventFormat, _FORMAT_PREFIXES)
        if raw.get("status") is not None:
            values["status"] = _enum_value(raw["status"], EventStatus, (("провед", EventStatus.HELD),
                                                                       ("выполн", EventStatus.HELD),
                                                                       ("отмен", EventStatus.CANCELLED),
                                                                       ("заплан", EventStatus.PLANNED)))
        for name in ("hours", "plan_year"):
            if raw.get(name) is not None:
                values[name] = raw[name] if isinstance(raw[name], (int, float)) else _text(raw[name])
        if raw.get(COMMUNITY) is not None:
            name = _text(raw[COMMUNITY])
            found = self.communities.get(org_key(name), [])
            if len(found) == 1:
                values["community_id"] = found[0]
            else:
                row.errors.append((COMMUNITY, f"сообщество «{name}» не найдено в базе" if not found else
                                   f"в базе несколько сообществ «{name}»"))
        return self.organizers(row)

    def organizers(self, row: _Row) -> list[str]:
        raw = row.raw.get(ORGANIZERS)
        if raw is None:
            return []
        ids: list[str] = []
        for part in split_names(_text(raw)):
            digits = re.sub(r"\s+", "", part)
            if digits.isdigit():
                found = [self.orgs_by_inn[_inn_value(digits)]] if _inn_value(digits) in self.orgs_by_inn else []
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

    def complete(self, row: _Row) -> None:
        v = row.values
        if "format" not in v:
            v["format"] = (EventFormat.REMOTE if v.get("link") and not v.get("venue") else EventFormat.IN_PERSON).value
        if "plan_year" not in v:
            year = self.plan.default_year
            if year is None and hasattr(v.get("starts_on"), "year"):
                year = v["starts_on"].year
            if year is not None:
                v["plan_year"] = year

    def import_row(self, row: _Row) -> None:
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

    def update(self, row: _Row, known: _Known, orgs: list[str]) -> None:
        from app.services.events.events import _set_organizers_in

        changes = self.changes_for(known, self.normalized(row.values))
        new_orgs = bool(orgs) and set(orgs) != set(self.event_orgs.get(known.id, []))
        if not changes and not new_orgs:
            self.result.unchanged += 1
            return
        if changes:
            self.batch.update(EVENTS, known.id, changes)
            known.values.update(changes)
        if new_orgs:
            _set_organizers_in(self.batch, known.id, orgs)
            self.event_orgs[known.id] = orgs
        self.result.updated += 1


def import_plan_file(db, path, *, year: int | None = None, sheet: str | None = None, actor=None,
                     all_or_nothing: bool = False, progress=None, is_cancelled=None):
    """detect() and run_import() for a plan file; ``year`` serves rows without a plan year of their own."""
    from app.services.importing.spreadsheet_import import detect, run_import

    plan = detect(path, EVENTS, sheet)
    plan.default_year = year
    return run_import(db, plan, actor=actor, all_or_nothing=all_or_nothing, progress=progress,
                      is_cancelled=is_cancelled)
