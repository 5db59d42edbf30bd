"""Benchmark: the region imports a municipality's first package (10,000 teachers, all their records).

``import_package`` — signature, decryption, strict validation of every record,
foreign-key and ownership checks, СНИЛС matching, the backup before writing,
one transaction — is timed against a raw sqlite3 ``executemany`` of the same
rows into an empty database of the same schema, in the same run.
    .venv/bin/python bench/bench_sync_import.py [--teachers 10000]
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from common import OUT, demo_database

from app.services.common.bootstrap import close_database, open_database
from app.sync.export import export_delta
from app.sync.identity import init_installation, synced_tables, write_keycard
from app.sync.importer import import_package
from app.sync.partners import trust


def _copy(src: Path, dest: Path) -> Path:
    con = sqlite3.connect(src)
    target = sqlite3.connect(dest)
    con.backup(target)
    target.close()
    con.close()
    return dest


def _raw_insert(source: Path, empty: Path) -> float:
    """The same rows, read beforehand, written with executemany in one transaction."""
    src = sqlite3.connect(source)
    batches = []
    for table in synced_tables():
        cols = [c.name for c in table.c]
        rows = src.execute(f"SELECT {', '.join(cols)} FROM {table.name}").fetchall()
        if rows:
            batches.append((f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                            rows))
    src.close()
    con = sqlite3.connect(empty, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for sql, rows in batches:
        con.executemany(sql, rows)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    source = demo_database(args.teachers)
    work = Path(tempfile.mkdtemp(dir=OUT))
    try:
        mun, _ = open_database(str(_copy(source, work / "mun.sqlite")))
        init_installation(mun, "municipal", "46-231", "ММЦ")
        region, _ = open_database(str(work / "region-template.sqlite"))
        init_installation(region, "region", "46", "Регион")
        write_keycard(mun, work / "mun.card")
        write_keycard(region, work / "region.card")
        trust(mun, work / "region.card")
        trust(region, work / "mun.card")
        close_database(region)
        export = export_delta(mun, work / "first.msp")
        close_database(mun)
        size = (work / "first.msp").stat().st_size
        print(f"first package: {export.total} records, {size / 1e6:.1f} MB")

        ours, raw = [], []
        for n in range(args.repeat):
            target = work / f"region-{n}.sqlite"
            shutil.copy(work / "region-template.sqlite", target)
            db, _ = open_database(str(target))
            start = time.perf_counter()
            outcome = import_package(db, work / "first.msp", backup_dir=work / "backups")
            ours.append(time.perf_counter() - start)
            close_database(db)
            assert sum(c["new"] for c in outcome.changes.values()) == export.total
            empty = work / f"raw-{n}.sqlite"
            shutil.copy(work / "region-template.sqlite", empty)
            raw.append(_raw_insert(work / "mun.sqlite", empty))
        a, b = statistics.median(ours), statistics.median(raw)
        print(f"import_package: {a:.2f} s   raw executemany: {b:.2f} s   ratio {a / b:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
