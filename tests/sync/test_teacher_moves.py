"""A teacher who moved between two municipalities stays one person at the region (matched by СНИЛС)."""
from __future__ import annotations

from datetime import date

from app.sync.export import export_delta
from app.sync.importer import import_package
from tests.sync.conftest import pair
from tests.sync.helpers import rows, scalar

SNILS = "112-233-445 95"


def _route(site, teacher_id, title, end):
    route = site.records.create("trajectories", {"teacher_id": teacher_id, "period_start": date(end.year, 1, 1),
                                                 "period_end": date(end.year, 12, 31)})
    site.records.create("trajectory_items", {
        "trajectory_id": route["id"], "kind": "programme", "formality": "formal", "title": title,
        "status": "completed", "actual_end": end, "hours": 36, "credits": 1})
    return route


def test_the_same_snils_from_two_municipalities_is_one_teacher_with_one_career(sites, tmp_path):
    first = sites("first", "municipal", "46-101", "ММЦ Первого района")
    second = sites("second", "municipal", "46-202", "ММЦ Второго района")
    region = sites("region", "region", "46", "Региональный центр")
    pair(first, region, tmp_path)
    pair(second, region, tmp_path)

    school1 = first.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    old = first.records.create("teachers", {"last_name": "Кузнецова", "first_name": "Мария", "snils": SNILS,
                                            "organization_id": school1["id"], "position": "учитель"})
    _route(first, old["id"], "Цифровая школа", date(2021, 5, 20))
    export_delta(first.db, tmp_path / "a1.msp")
    import_package(region.db, tmp_path / "a1.msp")

    school2 = second.records.create("organizations", {"full_name": "Лицей № 2", "kind": "school"})
    new = second.records.create("teachers", {"last_name": "Кузнецова", "first_name": "Мария", "snils": SNILS,
                                             "organization_id": school2["id"], "position": "завуч"})
    _route(second, new["id"], "Управление школой", date(2024, 6, 10))
    export_delta(second.db, tmp_path / "b1.msp")
    outcome = import_package(region.db, tmp_path / "b1.msp")
    assert outcome.changes["teacher"]["merged"] == 1

    # One person: the first row kept, showing the newest municipality's data; both routes on it.
    assert rows(region.path, "SELECT id, position, organization_id, origin FROM teacher WHERE deleted_at IS NULL") \
        == [(old["id"], "завуч", school2["id"], "46-202")]
    assert scalar(region.path, "SELECT count(DISTINCT teacher_id) FROM trajectory") == 1
    assert scalar(region.path, "SELECT count(*) FROM trajectory WHERE teacher_id = ?", old["id"]) == 2
    assert rows(region.path, "SELECT last_pd_on FROM teacher WHERE id = ?", old["id"]) == [("2024-06-10",)]
    assert sorted(rows(region.path, "SELECT source_id, teacher_id, origin FROM sync_identity")) == sorted(
        [(old["id"], old["id"], "46-101"), (new["id"], old["id"], "46-202")])

    # The first municipality deletes her (she left): the person stays, she still works in the second.
    first.records.delete("teachers", old["id"])
    export_delta(first.db, tmp_path / "a2.msp")
    assert import_package(region.db, tmp_path / "a2.msp").changes["teacher"]["deleted"] == 1
    assert rows(region.path, "SELECT deleted_at FROM teacher WHERE id = ?", old["id"]) == [(None,)]
    second.records.update("teachers", new["id"], {"position": "директор"})
    export_delta(second.db, tmp_path / "b2.msp")
    assert import_package(region.db, tmp_path / "b2.msp").changes["teacher"]["updated"] == 1
    assert rows(region.path, "SELECT position FROM teacher WHERE id = ?", old["id"]) == [("директор",)]
    assert scalar(region.path, "SELECT count(*) FROM teacher") == 1


def test_a_later_route_for_a_merged_teacher_moves_the_three_year_clock(sites, tmp_path):
    first = sites("first", "municipal", "46-101", "ММЦ Первого района")
    second = sites("second", "municipal", "46-202", "ММЦ Второго района")
    region = sites("region", "region", "46", "Региональный центр")
    pair(first, region, tmp_path)
    pair(second, region, tmp_path)
    old = first.records.create("teachers", {"last_name": "Белова", "first_name": "Ирина", "snils": SNILS})
    export_delta(first.db, tmp_path / "a1.msp")
    import_package(region.db, tmp_path / "a1.msp")
    new = second.records.create("teachers", {"last_name": "Белова", "first_name": "Ирина", "snils": SNILS})
    export_delta(second.db, tmp_path / "b1.msp")
    import_package(region.db, tmp_path / "b1.msp", receipt_out=tmp_path / "rb1.msp")
    import_package(second.db, tmp_path / "rb1.msp")

    _route(second, new["id"], "Наставничество в школе", date(2025, 3, 1))
    export_delta(second.db, tmp_path / "b2.msp")
    import_package(region.db, tmp_path / "b2.msp")
    assert rows(region.path, "SELECT teacher_id FROM trajectory") == [(old["id"],)]
    assert rows(region.path, "SELECT last_pd_on FROM teacher WHERE id = ?", old["id"]) == [("2025-03-01",)]
