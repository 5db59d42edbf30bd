"""Benchmark: duplicate detection on a demo registry of N teachers (default 100,000).

Each figure is printed with a baseline measured in the same run on the same file:
- find_duplicates for one teacher (a form check; median of --repeat runs) against
  raw sqlite3 running the same candidate queries (same СНИЛС, same birth date,
  same organisation; live rows) and fetching the same columns;
- find_duplicates for values typed in a form, same baseline;
- duplicate_groups (the whole-registry scan) against a raw sqlite3 fetch of the
  columns it reads from every live teacher;
- merge_teachers and undo_merge of two records, for information;
- the form check again after adding an index on teacher.birth_date to the copy
  (the index this module would like a migration to add).
The demo database (app.services.demo.generator.generate_demo, cached in bench/out by
bench/common.py) is copied to a temporary file first: the run plants
duplicates and merges them.
Not part of the test run:  .venv/bin/python bench/bench_duplicates.py [--teachers 100000]
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from common import demo_database

from app.services import duplicates as D
from app.services.common.actor import Actor
from app.services.common.bootstrap import close_database, open_database
from app.services.registry.service import RecordService

COLUMNS = "id, last_name, first_name, middle_name, birth_date, snils, organization_id"


def median_ms(fn, repeat: int) -> float:
    fn()   # warm the page cache and SQLAlchemy's statement cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def raw_candidates(con: sqlite3.Connection, teacher_id: str | None, snils, birth, org) -> list:
    """The candidate condition of find_duplicates, in raw sqlite3."""
    rows = {}
    con.execute("BEGIN")
    if snils:
        for r in con.execute(f"SELECT {COLUMNS} FROM teacher WHERE snils = ? AND deleted_at IS NULL"
                             " AND id != ?", (snils, teacher_id or "")):
            rows[r[0]] = r
    if birth:
        for r in con.execute(f"SELECT {COLUMNS} FROM teacher WHERE birth_date = ? AND deleted_at IS NULL"
                             " AND id != ?", (birth, teacher_id or "")):
            rows[r[0]] = r
    if org:
        for r in con.execute(f"SELECT {COLUMNS} FROM teacher WHERE organization_id = ? AND deleted_at IS NULL"
                             " AND id != ?", (org, teacher_id or "")):
            rows[r[0]] = r
    con.execute("COMMIT")
    return list(rows.values())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    source = demo_database(args.teachers)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        shutil.copy(source, path)
        db, _ = open_database(str(path))
        print(f"demo registry of {args.teachers} teachers (copy of {source.name})")

        records = RecordService(db, Actor("bench"))
        con = sqlite3.connect(path, isolation_level=None)
        # The busiest organisation: the worst case for the «same organisation» comparison.
        org, staff = con.execute("SELECT organization_id, count(*) FROM teacher WHERE deleted_at IS NULL "
                                 "GROUP BY organization_id ORDER BY 2 DESC LIMIT 1").fetchone()
        tid, last, first, middle, birth, snils = con.execute(
            "SELECT id, last_name, first_name, middle_name, birth_date, snils FROM teacher "
            "WHERE organization_id = ? AND birth_date IS NOT NULL AND snils IS NOT NULL LIMIT 1", (org,)).fetchone()
        other_org = con.execute("SELECT id FROM organization WHERE id != ? LIMIT 1", (org,)).fetchone()[0]
        # Plant two probable duplicates so the check has something to find.
        typo = records.create("teachers", {"last_name": last, "first_name": first[:-1], "middle_name": middle,
                                           "organization_id": org})
        same = records.create("teachers", {"last_name": last, "first_name": first, "middle_name": middle,
                                           "birth_date": birth, "organization_id": other_org})
        found = {c.teacher_id: c.reasons for c in D.find_duplicates(db, teacher_id=tid)}
        assert typo["id"] in found and same["id"] in found, found
        birth_rows = con.execute("SELECT count(*) FROM teacher WHERE birth_date = ?", (birth,)).fetchone()[0]
        plan = con.execute("EXPLAIN QUERY PLAN SELECT id FROM teacher WHERE birth_date = ?", (birth,)).fetchall()
        print(f"probe: {last} {first} {middle}, {staff + 1} teachers in the organisation, "
              f"{birth_rows} with the birth date; found {len(found)} candidates")
        print(f"  birth-date query plan: {plan[-1][-1]}")

        ours = median_ms(lambda: D.find_duplicates(db, teacher_id=tid), args.repeat)
        raw = median_ms(lambda: raw_candidates(con, tid, snils, birth, org), args.repeat)
        print(f"find_duplicates(teacher_id): median {ours:.1f} ms of {args.repeat} "
              f"(limit 100 ms: {'OK' if ours < 100 else 'TOO SLOW'})")
        print(f"  baseline raw sqlite3 candidate queries: {raw:.1f} ms; ratio {ours / raw:.1f}x")

        values = {"last_name": last.lower(), "first_name": first.lower(), "middle_name": middle.lower(),
                  "birth_date": birth, "organization_id": org, "snils": snils.replace("-", "").replace(" ", "")}
        ours_v = median_ms(lambda: D.find_duplicates(db, values=values), args.repeat)
        raw_v = median_ms(lambda: raw_candidates(con, None, snils, birth, org), args.repeat)
        print(f"find_duplicates(values typed in a form): median {ours_v:.1f} ms "
              f"(limit 100 ms: {'OK' if ours_v < 100 else 'TOO SLOW'})")
        print(f"  baseline raw sqlite3 candidate queries: {raw_v:.1f} ms; ratio {ours_v / raw_v:.1f}x")

        t0 = time.perf_counter()
        groups = D.duplicate_groups(db, limit=200)
        scan = time.perf_counter() - t0
        t0 = time.perf_counter()
        con.execute(f"SELECT {COLUMNS}, created_at FROM teacher WHERE deleted_at IS NULL").fetchall()
        raw_scan = time.perf_counter() - t0
        print(f"duplicate_groups over the registry: {scan:.2f} s, {len(groups)} groups "
              f"(limit a few seconds: {'OK' if scan < 3 else 'TOO SLOW'})")
        print(f"  baseline raw sqlite3 fetch of the same columns: {raw_scan:.2f} s; ratio {scan / raw_scan:.1f}x")

        t0 = time.perf_counter()
        result = D.merge_teachers(db, Actor("bench"), tid, typo["id"], {})
        merged = time.perf_counter() - t0
        t0 = time.perf_counter()
        D.undo_merge(db, Actor("bench"), result.merge_id)
        undone = time.perf_counter() - t0
        print(f"merge_teachers: {merged * 1000:.0f} ms; undo_merge: {undone * 1000:.0f} ms")

        con.close()
        close_database(db)


if __name__ == "__main__":
    main()
