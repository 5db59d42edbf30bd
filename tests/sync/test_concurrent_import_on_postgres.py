"""Two coordinators at the region load the same package at once (PostgreSQL): it is applied exactly once."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.services.common.bootstrap import open_database
from app.storage.models import SyncPackage, Teacher
from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync.export import export_delta
from app.sync.identity import init_installation
from app.sync.importer import import_package
from tests.sync.conftest import Site, pair


def test_the_same_package_loaded_twice_at_once_is_applied_once(sites, pg_url, tmp_path):
    mun = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    region, _ = open_database(pg_url)
    init_installation(region, "region", "46", "Региональный центр")
    pair(mun, Site(region, RecordService(region, Actor("region")), tmp_path, "46"), tmp_path)
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    for n in range(40):
        mun.records.create("teachers", {"last_name": f"Педагогова{'абвгдежзик'[n % 10]}", "first_name": "Анна",
                                        "organization_id": school["id"]})
    export_delta(mun.db, tmp_path / "p1.msp")

    outcomes, errors = [], []
    start = threading.Barrier(2)

    def load():
        second, _ = open_database(pg_url)      # another coordinator: another program, its own connections
        try:
            start.wait()
            outcomes.append(import_package(second, tmp_path / "p1.msp"))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            second.dispose()

    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert errors == []
        assert sorted(o.already_imported for o in outcomes) == [False, True]
        with region.read() as s:
            assert s.scalar(select(func.count()).select_from(Teacher)) == 40
            assert s.scalar(select(func.count()).select_from(SyncPackage).where(SyncPackage.direction == "in")) == 1
    finally:
        region.dispose()
