"""At the region every list filters by the municipality its records came from."""
from __future__ import annotations

from app.storage.models import AppMeta, Municipality, Teacher


def _stamp_origin(db, ids, code):
    with db.session() as s:
        for i in ids:
            s.get(Teacher, i).origin = code


def test_one_municipality_gets_no_filter_and_several_do(db, records):
    a = [records.create("teachers", {"last_name": "Иванов" + "абв"[n], "first_name": "Иван"})["id"] for n in range(3)]
    b = [records.create("teachers", {"last_name": "Петров" + "аб"[n], "first_name": "Пётр"})["id"] for n in range(2)]
    assert "origin" not in {o.name for o in records.filter_options("teachers")}

    _stamp_origin(db, a, "46-231")
    _stamp_origin(db, b, "46-232")
    assert "origin" not in {o.name for o in records.filter_options("teachers")}   # not a region
    with db.session() as s:
        s.add(Municipality(code="46-231", name="Курский район"))
        s.merge(AppMeta(key="sync_role", value="region"))
    option = next(o for o in records.filter_options("teachers") if o.name == "origin")
    assert option.label == "Муниципалитет"
    assert option.choices == [("46-231", "Курский район (46-231)"), ("46-232", "46-232")]
    assert sorted(records.ids("teachers", filters={"origin": "46-231"})) == sorted(a)
    assert records.count("teachers", filters={"origin": "46-232"}) == 2
    assert records.count("teachers", filters={"origin": "46-232"}, search="петрова") == 1
