"""The region's PostgreSQL server stops while a package is being applied: it is applied whole later, once."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cli import main
from app.services.common.bootstrap import open_database
from app.storage.models import SyncPackage, Teacher
from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync.export import export_delta
from app.sync.identity import init_installation
from tests.services.importing.test_server_stops_mid_import import server_stops_at
from tests.sync.conftest import Site, pair


def _applied(db) -> tuple[int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Teacher)),
                s.scalar(select(func.count()).select_from(SyncPackage).where(SyncPackage.direction == "in")))


def test_a_package_cut_off_half_way_is_not_half_applied(sites, own_pg_cluster, tmp_path, capsys):
    mun = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    url = own_pg_cluster.new_database()
    region, _ = open_database(url)
    try:
        init_installation(region, "region", "46", "Региональный центр")
        pair(mun, Site(region, RecordService(region, Actor("region")), tmp_path, "46"), tmp_path)
        school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
        for n in range(30):
            mun.records.create("teachers", {"last_name": f"Педагогова{'абвгдежзик'[n % 10]}", "first_name": "Анна",
                                            "organization_id": school["id"]})
        package = export_delta(mun.db, tmp_path / "p1.msp").path

        # Every row is already written (by COPY) when the server goes, the package's ledger entry not yet.
        with server_stops_at(own_pg_cluster, "INSERT INTO SYNC_PACKAGE") as hits:
            assert main(["--db", url, "sync", "import", str(package)]) == 1
        assert hits
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "связь с сервером PostgreSQL прервалась" in err

        own_pg_cluster.resume()
        assert _applied(region) == (0, 0)
        assert main(["--db", url, "sync", "import", str(package)]) == 0
        assert _applied(region) == (30, 1)
        assert main(["--db", url, "sync", "import", str(package)]) == 0     # already loaded: nothing twice
        assert _applied(region) == (30, 1)
    finally:
        region.dispose()
