"""Benchmark: the first package (everything) of a municipality at each personal-data level.

Pseudonymising hashes every teacher's СНИЛС (HMAC-SHA256) and blanks the
names; «aggregates only» reads the teachers once and counts in Python instead
of writing every record. Both are timed against the full package of the same
database in the same run; the ratio is printed.

    .venv/bin/python bench/bench_sync_levels.py [--teachers 10000]
"""
from __future__ import annotations

import argparse
import secrets
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import OUT, demo_database, median_seconds

from app.services.common.bootstrap import close_database, open_database
from app.sync.export import export_delta
from app.sync.identity import init_installation, write_keycard
from app.sync.partners import trust
from app.sync.personal_data import store_received_secret


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=10_000)
    args = ap.parse_args()
    source = demo_database(args.teachers)
    work = Path(tempfile.mkdtemp(dir=OUT))
    try:
        region, _ = open_database(str(work / "region.sqlite"))
        init_installation(region, "region", "46", "Регион")
        write_keycard(region, work / "region.card")
        close_database(region)
        path = work / "mun.sqlite"
        con = sqlite3.connect(source)
        con.backup(sqlite3.connect(path))
        con.close()
        db, _ = open_database(str(path))
        init_installation(db, "municipal", "46-231", "ММЦ")
        trust(db, work / "region.card")
        with db.session() as s:
            # What importing the region's addressed catalogue leaves behind.
            store_received_secret(s, secrets.token_bytes(32))
        timings, sizes = {}, {}
        for level in ("full", "pseudonymised", "aggregates"):
            out = work / f"{level}.msp"
            timings[level] = median_seconds(lambda: export_delta(db, out, personal_data=level), repeat=3)
            sizes[level] = out.stat().st_size
        close_database(db)
        for level in timings:
            print(f"{args.teachers} teachers, first package, {level:<14} {timings[level] * 1000:8.0f} ms "
                  f"{sizes[level] / 1024:9.0f} KiB   ratio to full: {timings[level] / timings['full']:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
