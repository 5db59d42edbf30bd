"""Reviews made on the seeded default criteria sheet travel to a region whose database was migrated apart.

The default sheet is seeded by a migration and belongs to nobody, so it is never
sent; a municipality's reviews point at it and the region must already hold it
under the same id. (The other sync tests copy one template database for both
sides, which hides a difference in seeded ids.)
"""
from __future__ import annotations

from app.services.common.actor import Actor
from app.services.common.bootstrap import close_database, open_database
from app.services.demo.generator import generate_demo
from app.sync.export import export_delta
from app.sync.identity import init_installation
from app.sync.importer import import_package
from tests.sync.conftest import Site, pair
from tests.sync.helpers import scalar

DEFAULT_SHEET = "SELECT id FROM criteria_sheet WHERE is_default = 1 AND change_seq = 0"


def test_a_municipality_s_reviews_on_the_default_sheet_import_at_a_separately_migrated_region(sites, tmp_path):
    mun = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    region_path = tmp_path / "region-apart.sqlite"
    region_db, _ = open_database(str(region_path))          # its own migration run, not a template copy
    try:
        init_installation(region_db, "region", "46", "Региональный центр")
        region = Site(region_db, None, region_path, "46")
        pair(mun, region, tmp_path)
        assert scalar(mun.path, DEFAULT_SHEET) == scalar(region_path, DEFAULT_SHEET)

        generate_demo(mun.db, 100, 3)
        reviews = scalar(mun.path, "SELECT count(*) FROM review WHERE sheet_id = (" + DEFAULT_SHEET + ")")
        assert reviews > 0
        export_delta(mun.db, tmp_path / "first.msp")
        outcome = import_package(region_db, tmp_path / "first.msp", actor=Actor("region"),
                                 backup_dir=tmp_path / "backups")
        assert outcome.applied
        assert scalar(region_path, "SELECT count(*) FROM review") == reviews
        assert scalar(region_path, "SELECT count(*) FROM teacher") == 100
    finally:
        close_database(region_db)
