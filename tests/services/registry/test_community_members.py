"""The communities list counts its members: live teachers and organisations, whatever wrote them."""
from __future__ import annotations

import sqlite3


def _members(records):
    return {r["name"]: r["members"] for r in records.list("communities").rows}


def test_the_count_follows_every_change_and_orders_the_list(records, db_path):
    school = records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    anna = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна"})
    olga = records.create("teachers", {"last_name": "Орлова", "first_name": "Ольга"})
    rmo = records.create("communities", {"name": "РМО учителей математики", "kind": "rmo"})
    club = records.create("communities", {"name": "Клуб молодых педагогов", "kind": "young_club"})
    assert _members(records) == {"РМО учителей математики": 0, "Клуб молодых педагогов": 0}
    assert "Участников" in [c.label for c in records.columns("communities")]

    records.create("community_members", {"community_id": rmo["id"], "teacher_id": anna["id"]})
    second = records.create("community_members", {"community_id": rmo["id"], "teacher_id": olga["id"]})
    records.create("community_members", {"community_id": rmo["id"], "organization_id": school["id"]})
    records.create("community_members", {"community_id": club["id"], "teacher_id": olga["id"]})
    assert _members(records) == {"РМО учителей математики": 3, "Клуб молодых педагогов": 1}
    ordered = records.list("communities", order="members", descending=True).rows
    assert [r["name"] for r in ordered] == ["РМО учителей математики", "Клуб молодых педагогов"]

    records.delete("community_members", second["id"])
    assert _members(records)["РМО учителей математики"] == 2
    records.restore("community_members", second["id"])
    assert _members(records)["РМО учителей математики"] == 3
    # A row written past the services (a package applied at the region) is counted as well.
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE community_member SET deleted_at = '2026-01-01 00:00:00' WHERE community_id = ?",
                     (club["id"],))
    conn.close()
    assert _members(records)["Клуб молодых педагогов"] == 0
