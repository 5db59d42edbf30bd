"""Benchmark: the same demo centre on SQLite and on PostgreSQL, side by side.

1. The move: `db copy` (every table in one transaction, then the per-table
   verification) against a baseline of plain COPY of the same rows with psycopg,
   measured in the same run on a second empty database.
2. Search as you type: RecordService.first_ids on both engines (p50 and p95
   over repeats) against a raw query of the same rows on each engine
   (sqlite3 instr / psycopg LIKE on the same folded key). Target: p95 < 100 ms.

A throwaway PostgreSQL cluster is started in a temporary folder (tests/pg_cluster.py).
    .venv/bin/python bench/bench_postgres.py [--teachers 20000]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from common import demo_database, percentiles

from app.domain.names import search_key
from app.services.common.bootstrap import close_database, open_database
from app.services.maintenance.moving import move_to_server
from app.services.registry.service import RecordService
from app.storage.base import Base
from tests.pg_cluster import start_cluster

QUERIES = ("иванов", "федоров", "семёнова анна", "петр", "ив", "сош", "нет такого")
FIRST_SCREEN = 60


def _copy_baseline(sqlite_path: Path, url: str) -> float:
    """Plain COPY of every table's rows (schema made by the same migrations first, not timed)."""
    import psycopg
    from sqlalchemy.engine import make_url

    target, _ = open_database(url)
    target.dispose()
    u = make_url(url)
    src = sqlite3.connect(sqlite_path)
    started = time.perf_counter()
    with psycopg.connect(host=u.query["host"], user=u.username, dbname=u.database) as conn:
        with conn.cursor() as cur:
            for table in reversed(Base.metadata.sorted_tables):
                cur.execute(f'DELETE FROM "{table.name}"')
            for table in Base.metadata.sorted_tables:
                cols = [c.name for c in table.c]
                names = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in src.execute(f'SELECT {names} FROM "{table.name}"'):
                        copy.write_row(row)
    elapsed = time.perf_counter() - started
    src.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=20_000)
    args = ap.parse_args()
    path = demo_database(args.teachers)
    root = Path(tempfile.mkdtemp(prefix="metodset-pg-bench-"))
    os.chmod(root, 0o755)
    cluster = start_cluster(root / "cluster")
    try:
        lite, _ = open_database(str(path))
        url = cluster.new_database()
        started = time.perf_counter()
        result = move_to_server(lite, url)
        moved = time.perf_counter() - started
        baseline = _copy_baseline(path, cluster.new_database())
        print(f"db copy: {result.rows} rows in {len(result.tables)} tables, {moved:.2f} s "
              f"(with verification); plain COPY of the same rows {baseline:.2f} s; ratio {moved / baseline:.2f}")

        pg, _ = open_database(url)
        services = {"sqlite": RecordService(lite), "postgresql": RecordService(pg)}
        raw_lite = sqlite3.connect(path)
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(url)
        raw_pg = psycopg.connect(host=u.query["host"], user=u.username, dbname=u.database, autocommit=True)
        print(f"{'query':<16}{'engine':<12}{'p50 ms':>8}{'p95 ms':>8}{'raw p50':>9}{'ratio':>7}")
        worst = 0.0
        for q in QUERIES:
            words = search_key(q).split()
            for engine, service in services.items():
                p50, p95 = percentiles(lambda: service.first_ids("teachers", limit=FIRST_SCREEN, search=q))
                if engine == "sqlite":
                    cond = " AND ".join("instr(search_key, ?) > 0" for _ in words)
                    raw = percentiles(lambda: raw_lite.execute(
                        f"SELECT id FROM teacher WHERE deleted_at IS NULL AND {cond} "
                        f"ORDER BY last_name, first_name, middle_name, id LIMIT {FIRST_SCREEN}", words).fetchall())[0]
                else:
                    cond = " AND ".join("search_key LIKE %s" for _ in words)
                    raw = percentiles(lambda: raw_pg.execute(
                        f"SELECT id FROM teacher WHERE deleted_at IS NULL AND {cond} "
                        f"ORDER BY last_name, first_name, middle_name, id LIMIT {FIRST_SCREEN}",
                        [f"%{w}%" for w in words]).fetchall())[0]
                worst = max(worst, p95)
                print(f"{q:<16}{engine:<12}{p50 * 1000:>8.1f}{p95 * 1000:>8.1f}{raw * 1000:>9.1f}"
                      f"{p50 / raw:>7.2f}")
        print(f"slowest p95 first screen: {worst * 1000:.0f} ms (target < 100 ms: "
              f"{'OK' if worst < 0.1 else 'TOO SLOW'})")
        raw_pg.close()
        raw_lite.close()
        pg.dispose()
        close_database(lite)
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
