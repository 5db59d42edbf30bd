"""Empty credits of programmes and route items are computed from the hours by the services."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.common.errors import ValidationFailed
from app.storage.models import AppMeta
from tests.services.development.conftest import make_teacher


def _set_hours_per_credit(db, value: str) -> None:
    with db.session() as s:
        meta = s.get(AppMeta, "hours_per_credit")
        if meta is None:
            s.add(AppMeta(key="hours_per_credit", value=value))
        else:
            meta.value = value


def _programme(records, **values) -> dict:
    data = {"title": "Цифровая дидактика", "hours": 72, "form": "distance"}
    data.update(values)
    return records.create("programmes", data)


def test_programme_without_credits_gets_them_from_hours(records):
    assert _programme(records)["credits"] == 2.0                   # 72 h / 36
    assert _programme(records, hours=18, credits="")["credits"] == 0.5
    assert _programme(records, hours=16, credits=None)["credits"] == 0.44  # 0.444… rounded half up


def test_typed_credits_stand(records):
    assert _programme(records, credits="3,5")["credits"] == 3.5


def test_hours_per_credit_setting_is_used(db, records):
    _set_hours_per_credit(db, "24")
    assert _programme(records, hours=72)["credits"] == 3.0


def test_clearing_credits_on_update_recomputes(records):
    programme = _programme(records, credits=5)
    changed = records.update("programmes", programme["id"], {"credits": "", "hours": 108})
    assert changed["credits"] == 3.0
    kept = records.update("programmes", programme["id"], {"hours": 144})
    assert kept["credits"] == 3.0                               # stored credits stand while not cleared


def test_programme_without_hours_still_refused(records):
    with pytest.raises(ValidationFailed) as exc:
        records.create("programmes", {"title": "Без часов", "form": "distance"})
    assert any(e.field == "hours" for e in exc.value.errors)


def test_bad_credits_are_reported_not_replaced(records):
    with pytest.raises(ValidationFailed) as exc:
        _programme(records, credits="много")
    assert [e.field for e in exc.value.errors] == ["credits"]


def _route(records) -> dict:
    teacher = make_teacher(records, None, "Орлова", "Вера")
    return records.create("trajectories", {"teacher_id": teacher["id"], "period_start": date(2025, 1, 1),
                                            "period_end": date(2025, 12, 31)})


def test_item_with_hours_and_no_credits(records):
    route = _route(records)
    item = records.create("trajectory_items", {"trajectory_id": route["id"], "kind": "self_education",
                                               "formality": "informal", "title": "Чтение", "hours": 18})
    assert item["credits"] == 0.5
    without_hours = records.create("trajectory_items", {"trajectory_id": route["id"], "kind": "event",
                                                        "formality": "non_formal", "title": "Семинар"})
    assert without_hours["credits"] == 0.0
    # Hours added later to an item without credits: the credits follow.
    changed = records.update("trajectory_items", without_hours["id"], {"hours": 6})
    assert changed["credits"] == 0.17


def test_item_credits_typed_are_kept_when_hours_change(records):
    route = _route(records)
    item = records.create("trajectory_items", {"trajectory_id": route["id"], "kind": "programme",
                                               "formality": "formal", "title": "Курс", "hours": 36, "credits": 2})
    assert records.update("trajectory_items", item["id"], {"hours": 72})["credits"] == 2.0
