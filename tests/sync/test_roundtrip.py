"""Municipality → region → receipt → next delta, with two real SQLite databases."""
from __future__ import annotations

import pytest

from app.services.common.errors import ServiceError
from app.storage.backup import backup_to, restore_database
from app.sync.errors import PackageRefused
from app.sync.export import export_delta
from app.sync.importer import import_package, preview
from tests.sync.helpers import rows, scalar, snapshot

SNILS = "112-233-445 95"


def _seed(mun):
    org = mun.records.create("organizations", {"full_name": "МБОУ СОШ № 1", "kind": "school"})
    teacher = mun.records.create("teachers", {"last_name": "Иванова", "first_name": "Анна",
                                              "organization_id": org["id"], "snils": SNILS})
    other = mun.records.create("teachers", {"last_name": "Петров", "first_name": "Пётр",
                                            "organization_id": org["id"]})
    return org, teacher, other


def test_full_round_trip_then_the_next_delta_has_only_new_changes(mun_and_region, tmp_path):
    mun, region = mun_and_region
    org, teacher, other = _seed(mun)

    first = export_delta(mun.db, tmp_path / "p1.msp")
    assert first.sequence == 1 and first.counts["teacher"]["records"] == 2
    seen = preview(region.db, tmp_path / "p1.msp")
    assert seen.changes["teacher"]["new"] == 2 and seen.changes["organization"]["new"] == 1
    assert scalar(region.path, "SELECT count(*) FROM teacher") == 0     # preview writes nothing

    done = import_package(region.db, tmp_path / "p1.msp", receipt_out=tmp_path / "r1.msp")
    assert done.applied and done.backup_path.exists()     # the trusted partner (audited) is worth a copy
    got = rows(region.path, "SELECT id, last_name, origin, snils FROM teacher ORDER BY last_name")
    assert got == [(teacher["id"], "Иванова", "46-231", SNILS), (other["id"], "Петров", "46-231", None)]
    assert scalar(region.path, "SELECT count(*) FROM audit_log WHERE action = 'sync_import'") == 1

    # Before the receipt the next package still starts from the beginning.
    assert export_delta(mun.db, tmp_path / "p1b.msp").counts["teacher"]["records"] == 2
    receipt = import_package(mun.db, tmp_path / "r1.msp")
    assert receipt.kind == "receipt" and receipt.applied

    mun.records.update("teachers", teacher["id"], {"position": "учитель математики"})
    mun.records.delete("teachers", other["id"])
    second = export_delta(mun.db, tmp_path / "p2.msp")
    assert second.sequence == 3
    assert second.counts == {"teacher": {"records": 2, "deleted": 1}}

    outcome = import_package(region.db, tmp_path / "p2.msp")
    assert outcome.backup_path is not None and outcome.backup_path.exists()   # a copy before changing data
    assert outcome.changes["teacher"] == {"new": 0, "updated": 1, "deleted": 1, "unchanged": 0, "merged": 0}
    assert rows(region.path, "SELECT position FROM teacher WHERE id = ?", teacher["id"]) == [("учитель математики",)]
    assert scalar(region.path, "SELECT deleted_at IS NOT NULL FROM teacher WHERE id = ?", other["id"]) == 1


def test_a_package_imported_again_changes_nothing(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _seed(mun)
    export_delta(mun.db, tmp_path / "p1.msp")
    import_package(region.db, tmp_path / "p1.msp")
    before = snapshot(region.path)
    again = import_package(region.db, tmp_path / "p1.msp", receipt_out=tmp_path / "again.msp")
    assert again.already_imported and not again.applied and again.backup_path is None
    after = snapshot(region.path)
    # Only the re-issued receipt is logged; the records are untouched.
    assert {k: v for k, v in after.items() if k != "sync_package"} == \
        {k: v for k, v in before.items() if k != "sync_package"}
    assert import_package(mun.db, tmp_path / "again.msp").applied


def test_a_gap_is_refused_naming_the_missing_package(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _org, teacher, _other = _seed(mun)
    export_delta(mun.db, tmp_path / "p1.msp")
    import_package(region.db, tmp_path / "p1.msp", receipt_out=tmp_path / "r1.msp")
    import_package(mun.db, tmp_path / "r1.msp")
    saved = snapshot(region.path)
    restored_copy = tmp_path / "region-after-1.sqlite"
    backup_to(region.db, restored_copy)
    mun.records.update("teachers", teacher["id"], {"position": "завуч"})
    export_delta(mun.db, tmp_path / "p2.msp")
    import_package(region.db, tmp_path / "p2.msp", receipt_out=tmp_path / "r2.msp")
    import_package(mun.db, tmp_path / "r2.msp")
    mun.records.update("teachers", teacher["id"], {"position": "директор"})
    export_delta(mun.db, tmp_path / "p3.msp")

    # The region goes back to its state after package 1 (a restored backup).
    restore_database(region.db, restored_copy)
    assert snapshot(region.path) == saved
    with pytest.raises(PackageRefused, match="Не хватает пакета № 2"):
        import_package(region.db, tmp_path / "p3.msp")
    assert snapshot(region.path) == saved
    import_package(region.db, tmp_path / "p2.msp")
    import_package(region.db, tmp_path / "p3.msp")
    assert rows(region.path, "SELECT position FROM teacher WHERE id = ?", teacher["id"]) == [("директор",)]


def test_region_records_of_a_municipality_are_read_only_there(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _org, teacher, _other = _seed(mun)
    export_delta(mun.db, tmp_path / "p1.msp")
    import_package(region.db, tmp_path / "p1.msp")
    with pytest.raises(ServiceError, match="только для чтения"):
        region.records.update("teachers", teacher["id"], {"position": "другое"})
    with pytest.raises(ServiceError, match="только для чтения"):
        region.records.delete("teachers", teacher["id"])
