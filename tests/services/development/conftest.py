"""Builders for the professional-development tests: data written through RecordService (validated, audited)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from app.services.registry.service import RecordService
from app.storage.models import TrajectoryItem

SNILS = "112-233-445 95"
OTHER_SNILS = "087-654-303 00"


@dataclass
class Case:
    org: dict
    teacher: dict
    other: dict
    route: dict
    deleted_route: dict
    items: dict


def make_org(records: RecordService, name: str = "МАОУ Лицей № 2", inn: str = "500100732259") -> dict:
    return records.create("organizations", {"full_name": f"Муниципальное автономное общеобразовательное "
                                                         f"учреждение «{name}»", "short_name": name,
                                            "kind": "school", "inn": inn})


def make_teacher(records: RecordService, org: dict | None, last: str, first: str, middle: str = "",
                 **extra) -> dict:
    values = {"last_name": last, "first_name": first, "middle_name": middle,
              "organization_id": org["id"] if org else None}
    values.update(extra)
    return records.create("teachers", values)


def add_item(records: RecordService, route: dict, title: str, **values) -> dict:
    data = {"trajectory_id": route["id"], "kind": "programme", "formality": "formal", "title": title}
    data.update(values)
    return records.create("trajectory_items", data)


def _store_without_credits(records: RecordService, *items: dict) -> None:
    with records.db.session() as s:
        s.execute(update(TrajectoryItem).where(TrajectoryItem.id.in_([i["id"] for i in items])).values(credits=0))


@pytest.fixture
def case(records) -> Case:
    """The hand-checked ledger: 72 h / 2 з.е. in 2023, 18 h / 0.5 з.е. dated by its document in 2024,
    36 h with 0 credits in 2025 (→ 1.0), a cancelled and a planned item, a deleted route, another teacher."""
    org = make_org(records)
    teacher = make_teacher(records, org, "Фёдорова", "Анна", "Сергеевна", snils=SNILS, position="учитель математики",
                           birth_date=date(1985, 3, 14), career_start=date(2008, 9, 1))
    other = make_teacher(records, org, "Смирнов", "Олег", "Игоревич", snils=OTHER_SNILS)
    route = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": date(2023, 1, 1),
                                            "period_end": date(2025, 12, 31), "goals": "Методика", "status": "active"})
    items = {
        "course": add_item(records, route, "Формирование функциональной грамотности", hours=72, credits=2,
                           status="completed", actual_start=date(2023, 3, 1), actual_end=date(2023, 3, 20),
                           document_number="У-123", document_date=date(2023, 3, 21)),
        "doc_only": add_item(records, route, "Стажировка на базе МБОУ СОШ № 5", kind="internship", hours=18,
                             credits=0.5, status="completed", document_number="С-7",
                             document_date=date(2024, 5, 16)),
        "seminar": add_item(records, route, "Семинар «Цифровая школа»", kind="event", formality="non_formal",
                            hours=36, credits=0, status="completed", actual_start=date(2025, 2, 3),
                            actual_end=date(2025, 2, 5)),
        "cancelled": add_item(records, route, "Отменённый курс", hours=100, credits=3, status="cancelled",
                              actual_end=date(2024, 1, 10)),
        "planned": add_item(records, route, "Курс на будущее", hours=24, credits=0, status="planned",
                            planned_start=date(2026, 1, 10), planned_end=date(2026, 1, 20)),
    }
    # Items stored before the services filled credits from hours (or received so from another office):
    # the ledger computes theirs.
    _store_without_credits(records, items["seminar"], items["planned"])
    deleted_route = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": date(2024, 1, 1),
                                                    "period_end": date(2024, 12, 31)})
    add_item(records, deleted_route, "Курс в удалённом маршруте", hours=144, credits=4, status="completed",
             actual_end=date(2024, 6, 1))
    records.delete("trajectories", deleted_route["id"])
    other_route = records.create("trajectories", {"teacher_id": other["id"], "period_start": date(2024, 1, 1),
                                                  "period_end": date(2024, 12, 31)})
    add_item(records, other_route, "Курс другого педагога", hours=36, credits=1, status="completed",
             actual_end=date(2024, 3, 1))
    return Case(org, teacher, other, route, deleted_route, items)


# -- reading PDFs back -------------------------------------------------------------------------

def squash(text: str) -> str:
    """Text without any whitespace: wrapped lines in table cells compare equal to the original."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_fonts(path) -> tuple[set[str], bool]:
    """The base font names used on any page, and whether every one of them is embedded (FontFile2)."""
    names, embedded = set(), True
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont")))
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                embedded = False
    return names, embedded
