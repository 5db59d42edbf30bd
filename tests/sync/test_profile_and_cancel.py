"""Installation setup (keys outside the database, rows claimed) and cancelling export and import."""
from __future__ import annotations

import stat

import pytest

from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync.errors import SyncError
from app.sync.export import ExportCancelled, export_delta
from app.sync.identity import init_installation, keys_dir, load_profile
from app.sync.importer import import_package
from tests.sync.helpers import rows, scalar, snapshot


def test_init_keeps_private_keys_in_the_data_folder_and_claims_unowned_rows(db, db_path, _isolated_data_dir):
    org = RecordService(db, Actor("t")).create("organizations", {"full_name": "Школа", "kind": "school"})
    assert rows(db_path, "SELECT origin FROM organization") == [("",)]
    profile = init_installation(db, "municipal", "46-231", "ММЦ")
    folder = keys_dir(profile.installation_id)
    assert folder.parent.parent == _isolated_data_dir
    for name in ("signing.pem", "encryption.pem"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
        assert b"PRIVATE KEY" in (folder / name).read_bytes()
    assert rows(db_path, "SELECT origin FROM organization WHERE id = ?", org["id"]) == [("46-231",)]
    # Nothing secret in the database: only the profile.
    assert scalar(db_path, "SELECT count(*) FROM app_meta WHERE value LIKE '%PRIVATE%'") == 0
    new = RecordService(db, Actor("t")).create("organizations", {"full_name": "Лицей", "kind": "school"})
    assert rows(db_path, "SELECT origin FROM organization WHERE id = ?", new["id"]) == [("46-231",)]
    with db.read() as s:
        assert load_profile(s).municipality_code == "46-231"


def test_a_cancelled_export_leaves_no_file_and_no_number_taken(mun_and_region, tmp_path):
    mun, _region = mun_and_region
    mun.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    with pytest.raises(ExportCancelled):
        export_delta(mun.db, tmp_path / "p.msp", cancelled=lambda: True)
    assert not (tmp_path / "p.msp").exists()
    assert scalar(mun.path, "SELECT count(*) FROM sync_package") == 0
    assert export_delta(mun.db, tmp_path / "p.msp").sequence == 1


def test_a_cancelled_import_changes_nothing(mun_and_region, tmp_path):
    mun, region = mun_and_region
    mun.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    export_delta(mun.db, tmp_path / "p.msp")
    before = snapshot(region.path)
    with pytest.raises(SyncError, match="отменена"):
        import_package(region.db, tmp_path / "p.msp", cancelled=lambda: True)
    assert snapshot(region.path) == before
    assert import_package(region.db, tmp_path / "p.msp").applied
