"""Builders for the events tests: data written through RecordService (validated, audited)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.services.registry.service import RecordService


@dataclass
class Net:
    school: dict
    centre: dict
    teachers: list[dict]
    other: dict                     # a teacher of the centre
    community: dict


def make_org(records: RecordService, name: str, inn: str | None = None, kind: str = "school") -> dict:
    return records.create("organizations", {"full_name": f"Муниципальное учреждение «{name}»", "short_name": name,
                                            "kind": kind, "inn": inn})


@pytest.fixture
def net(records) -> Net:
    school = make_org(records, "Школа № 5", "500100732259")
    centre = make_org(records, "ИМЦ", "7707083893", kind="methodical")
    teachers = [records.create("teachers", {"last_name": last, "first_name": first, "organization_id": school["id"],
                                            "last_pd_on": date(2023, 5, 20)})
                for last, first in (("Смирнова", "Ольга"), ("Ёлкин", "Пётр"), ("Андреева", "Анна"))]
    other = records.create("teachers", {"last_name": "Зайцев", "first_name": "Игорь", "organization_id": centre["id"]})
    community = records.create("communities", {"name": "РМО учителей математики", "kind": "rmo"})
    for t in teachers[:2]:
        records.create("community_members", {"community_id": community["id"], "teacher_id": t["id"]})
    return Net(school, centre, teachers, other, community)


def event_values(**extra) -> dict:
    values = {"title": "Семинар «Функциональная грамотность»", "kind": "seminar", "format": "in_person",
              "starts_on": date(2025, 3, 12), "hours": 4, "venue": "ИМЦ, ауд. 12"}
    values.update(extra)
    return values
