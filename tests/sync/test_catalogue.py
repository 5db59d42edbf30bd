"""Region → municipalities: the catalogue package, shown read-only at the municipality."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.common.errors import ServiceError
from app.sync.errors import PackageRefused, SyncError
from app.sync.export import export_catalogue, export_delta
from app.sync.importer import import_package
from tests.sync.helpers import rows, scalar


def _catalogue(region):
    provider = region.records.create("organizations", {"full_name": "Институт развития образования",
                                                       "kind": "dpo"})
    prog = region.records.create("programmes", {"title": "Функциональная грамотность", "hours": 36,
                                                "credits": 1, "form": "distance", "provider_id": provider["id"]})
    event = region.records.create("events", {"title": "Региональный августовский педсовет", "kind": "conference",
                                             "format": "in_person", "starts_on": date(2026, 8, 27)})
    return provider, prog, event


def test_catalogue_round_trip_and_read_only_at_the_municipality(mun_and_region, tmp_path):
    mun, region = mun_and_region
    provider, prog, event = _catalogue(region)
    result = export_catalogue(region.db, tmp_path / "cat1.msp")
    assert result.kind == "catalogue" and set(result.counts) == {"organization", "programme", "event"}

    outcome = import_package(mun.db, tmp_path / "cat1.msp")
    assert outcome.changes["programme"]["new"] == 1 and outcome.changes["event"]["new"] == 1
    assert rows(mun.path, "SELECT title, origin FROM programme") == [("Функциональная грамотность", "46")]
    assert mun.records.get("programmes", prog["id"])["provider"] == "Институт развития образования"
    with pytest.raises(ServiceError, match="только для чтения"):
        mun.records.update("programmes", prog["id"], {"hours": 72})
    with pytest.raises(ServiceError, match="только для чтения"):
        mun.records.delete("events", event["id"])

    # Municipal routes may point to the catalogue, and the catalogue never travels back up.
    teacher = mun.records.create("teachers", {"last_name": "Орлова", "first_name": "Нина"})
    route = mun.records.create("trajectories", {"teacher_id": teacher["id"], "period_start": date(2026, 1, 1),
                                                "period_end": date(2026, 12, 31)})
    mun.records.create("trajectory_items", {"trajectory_id": route["id"], "kind": "programme",
                                            "formality": "formal", "title": "ФГ", "programme_id": prog["id"]})
    delta = export_delta(mun.db, tmp_path / "up.msp")
    assert "programme" not in delta.counts and "event" not in delta.counts
    assert import_package(region.db, tmp_path / "up.msp").changes["trajectory_item"]["new"] == 1

    # The region changes and withdraws: the next catalogue carries both.
    region.records.update("programmes", prog["id"], {"hours": 72})
    region.records.delete("events", event["id"])
    export_catalogue(region.db, tmp_path / "cat2.msp")
    second = import_package(mun.db, tmp_path / "cat2.msp")
    assert second.changes["programme"]["updated"] == 1 and second.changes["event"]["deleted"] == 1
    assert scalar(mun.path, "SELECT hours FROM programme WHERE id = ?", prog["id"]) == 72
    assert scalar(mun.path, "SELECT deleted_at IS NOT NULL FROM event WHERE id = ?", event["id"]) == 1

    # An older catalogue is not applied over a newer one; the same one again is a no-op.
    export_catalogue(region.db, tmp_path / "cat3.msp")
    export_catalogue(region.db, tmp_path / "cat4.msp")
    assert import_package(mun.db, tmp_path / "cat4.msp").applied
    with pytest.raises(PackageRefused, match="Пакет № 3 .* старше уже загруженного № 4"):
        import_package(mun.db, tmp_path / "cat3.msp")
    assert import_package(mun.db, tmp_path / "cat2.msp").already_imported


def test_only_the_region_exports_a_catalogue_and_only_municipalities_a_delta(mun_and_region, tmp_path):
    mun, region = mun_and_region
    with pytest.raises(SyncError, match="только региональный центр"):
        export_catalogue(mun.db, tmp_path / "x.msp")
    with pytest.raises(SyncError, match="--catalogue"):
        export_delta(region.db, tmp_path / "y.msp")
