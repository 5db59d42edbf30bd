"""SIGKILL during a spreadsheet import and a sync import: the database stays sound and the import is all
there or not at all.

bench/crash_kill.py does the same fifteen times per scenario over import, sync import, demo generation,
the audit export and report writing (xlsx and pdf).
"""
from __future__ import annotations

from tests.security.crash_probe import SCENARIOS, random_delays, run_probe


def test_killing_an_import_never_leaves_half_an_import(db_path, tmp_path):
    # One kill keeps the suite fast (a child process costs seconds); the bench does sixty.
    results = [run_probe(SCENARIOS["import"], db_path, tmp_path / "work", delay)
               for delay in random_delays(1, 0.8, 2.5, seed=11)]
    for r in results:
        assert r.check_ok, r
        assert r.outcome in ("applied", "absent"), r


def test_killing_a_sync_import_never_leaves_half_a_package(db_path, _template_db, tmp_path):
    from app.services.common.bootstrap import close_database, open_database
    from app.services.demo.generator import generate_demo
    from tests.security.crash_scenarios import prepare_sync, sync_scenario

    db, _ = open_database(str(db_path))
    generate_demo(db, 100, 2)
    close_database(db)
    setup = prepare_sync(tmp_path / "setup", db_path, _template_db)
    assert setup.manifest["teacher"] == 100
    for delay in random_delays(1, 1.0, 2.5, seed=5):
        r = run_probe(sync_scenario(setup), setup.region, tmp_path / "work", delay)
        assert r.check_ok, r
        assert r.outcome.split()[0] in ("applied", "absent"), r
