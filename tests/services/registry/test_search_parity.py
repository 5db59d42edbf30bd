"""Search finds the same teachers on SQLite (instr over the folded key) and on PostgreSQL (LIKE over pg_trgm)."""
from __future__ import annotations

import pytest

from app.services.common.actor import Actor
from app.services.common.bootstrap import open_database
from app.services.registry.service import RecordService

PEOPLE = (
    ("Фёдоров", "Пётр", "Ильич", "112-233-445 95"), ("Федорова", "Алёна", "Сергеевна", None),
    ("ЁЛКИНА", "мария", "", None), ("Иванова-Петрова", "Анна", "Олеговна", None),
    ("O'Коннор", "Джон", "", None), ("Smith", "Anna", "", None), ("Кузнецов", "Олег", "Петрович", None),
    ("Елизарова", "Вера", "", None), ("Сидоров", "Иван", "Иванович", None),
)
QUERIES = ("федор", "ФЁДОР", "ёлк", "елк", "петр", "иванова-п", "анна", "ANNA", "o'к", "11223344595", "445 95",
           "олег петр", "е", "ов ив", "%", "_", "нет такого")


def _fill(db):
    service = RecordService(db, Actor("tester"))
    school = service.create("organizations", {"full_name": "Школа № 1 «Ёлочка»", "kind": "school"})
    for last, first, middle, snils in PEOPLE:
        service.create("teachers", {"last_name": last, "first_name": first, "middle_name": middle, "snils": snils,
                                    "organization_id": school["id"]})
    return service


def _found(service, query):
    return sorted(r["last_name"] for r in service.list("teachers", search=query).rows)


@pytest.fixture
def both(db_path, pg_url):
    lite, _ = open_database(str(db_path))
    pg, _ = open_database(pg_url)
    yield _fill(lite), _fill(pg)
    lite.dispose()
    pg.dispose()


def test_every_query_finds_the_same_teachers_on_both_engines(both):
    lite, pg = both
    differ = {q: (_found(lite, q), _found(pg, q)) for q in QUERIES if _found(lite, q) != _found(pg, q)}
    assert differ == {}
    # And the queries do find something: the comparison is not of two empty lists.
    assert _found(lite, "ФЁДОР") == ["Федорова", "Фёдоров"]
    assert _found(lite, "445 95") == ["Фёдоров"]
    assert _found(lite, "нет такого") == []
    assert len(_found(lite, "%")) == len(PEOPLE)        # no letters or digits: no search, the whole list
    # An organisation's name finds its teachers too (search through the reference).
    assert len(_found(pg, "ёлочка")) == len(PEOPLE)
