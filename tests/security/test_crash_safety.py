"""SIGKILL during a spreadsheet import: the database stays sound and the import is all there or not at all.

bench/crash_kill.py does the same sixty times over import, demo generation and report writing.
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
