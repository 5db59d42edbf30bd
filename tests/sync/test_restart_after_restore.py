"""A municipality that restores an old backup starts its chain with the region again: a restart snapshot."""
from __future__ import annotations

from app.services.maintenance import operations
from app.sync.export import export_delta
from app.sync.importer import import_package
from tests.sync.helpers import rows


def _send(mun, region, tmp_path, name):
    export_delta(mun.db, tmp_path / f"{name}.msp")
    outcome = import_package(region.db, tmp_path / f"{name}.msp", receipt_out=tmp_path / f"{name}-r.msp")
    import_package(mun.db, tmp_path / f"{name}-r.msp")
    return outcome


def _teachers(region):
    return rows(region.path, "SELECT last_name, position, deleted_at IS NOT NULL FROM teacher ORDER BY last_name")


def test_a_restored_municipality_restarts_its_chain_and_the_region_mirrors_it(mun_and_region, tmp_path):
    mun, region = mun_and_region
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    anna = mun.records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "organization_id": school["id"],
                                           "position": "учитель"})
    _send(mun, region, tmp_path, "p1")
    copy = operations.backup(mun.db, tmp_path / "копия.sqlite")

    # After the copy: an edit and a new colleague, both received by the region.
    mun.records.update("teachers", anna["id"], {"position": "завуч"})
    mun.records.create("teachers", {"last_name": "Орлова", "first_name": "Ольга", "organization_id": school["id"]})
    _send(mun, region, tmp_path, "p2")
    assert _teachers(region) == [("Иванова", "завуч", 0), ("Орлова", "", 0)]

    # The municipality goes back to the copy, and edits the same teacher otherwise (the same row version).
    operations.restore(mun.db, copy)
    mun.records.update("teachers", anna["id"], {"position": "учитель информатики"})
    export_delta(mun.db, tmp_path / "p3.msp")
    header_rows = rows(mun.path, "SELECT sequence, since_change_seq FROM sync_package "
                                 "WHERE direction = 'out' AND kind = 'delta' ORDER BY id")
    assert header_rows[-1] == (2, 0)         # the copy's next number, a snapshot from zero
    outcome = import_package(region.db, tmp_path / "p3.msp", receipt_out=tmp_path / "p3-r.msp")
    assert outcome.applied
    # The region now holds what the municipality holds: its edit, and no Орлова it does not know.
    assert _teachers(region) == [("Иванова", "учитель информатики", 0), ("Орлова", "", 1)]
    import_package(mun.db, tmp_path / "p3-r.msp")

    # Acknowledged: the chain goes on as usual from the restart package.
    mun.records.update("teachers", anna["id"], {"position": "директор"})
    export_delta(mun.db, tmp_path / "p4.msp")
    assert rows(mun.path, "SELECT sequence, since_change_seq > 0 FROM sync_package "
                          "WHERE direction = 'out' AND kind = 'delta' ORDER BY id DESC LIMIT 1") == [(3, 1)]
    assert import_package(region.db, tmp_path / "p4.msp").applied
    assert _teachers(region)[0] == ("Иванова", "директор", 0)

