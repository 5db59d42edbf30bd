"""An event with organisers and participants in every attendance state, made through the services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest


@dataclass
class EventFixture:
    event_id: str
    title: str
    present: dict[str, str]        # full name → participation id (attendance «present»)
    others: dict[str, str]         # full name → participation id (absent, excused, unknown)
    organization_participation: str


def make_event(records, title="Формирование функциональной грамотности: от теории к практике") -> EventFixture:
    school = records.create("organizations", {
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»",
        "short_name": "МБОУ СШ № 7", "kind": "school"})
    centre = records.create("organizations", {
        "full_name": "Муниципальное казённое учреждение «Информационно-методический центр»",
        "short_name": "МКУ ИМЦ", "kind": "methodical", "head_name": "Т. В. Соколова"})
    event = records.create("events", {
        "title": title, "kind": "seminar", "format": "in_person",
        "starts_on": date(2026, 3, 12), "ends_on": date(2026, 3, 13), "hours": 6, "status": "held"})
    records.create("event_organizers", {"event_id": event["id"], "organization_id": centre["id"]})
    people = [("Петрова", "Анна", "Сергеевна", "present", "participant"),
              ("Ёлкин", "Борис", "Иванович", "present", "speaker"),
              ("Сидорова", "Вера", "", "absent", "participant"),
              ("Кузнецов", "Глеб", "Олегович", "excused", "participant"),
              ("Фёдорова", "Дарья", "Андреевна", "unknown", "participant")]
    present, others = {}, {}
    for last, first, middle, attendance, role in people:
        t = records.create("teachers", {"last_name": last, "first_name": first, "middle_name": middle,
                                        "organization_id": school["id"]})
        p = records.create("participations", {"event_id": event["id"], "teacher_id": t["id"], "role": role,
                                               "attendance": attendance, "hours": 4 if role == "speaker" else 0})
        name = " ".join(x for x in (last, first, middle) if x)
        (present if attendance == "present" else others)[name] = p["id"]
    org_p = records.create("participations", {"event_id": event["id"], "organization_id": school["id"],
                                              "role": "organizer", "attendance": "present"})
    return EventFixture(event["id"], title, present, others, org_p["id"])


@pytest.fixture
def seminar(records) -> EventFixture:
    return make_event(records)
