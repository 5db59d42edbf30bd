"""Benchmark: a region consolidating 60 municipalities × 2,000 teachers from real packages.

Each municipality is a demo centre of its own (its own seed, code and keys)
that exports its first package; the region loads all of them — on PostgreSQL,
and on SQLite side by side — through ``import_package`` (signature, decryption,
validation of every row, the backup before writing, one transaction each).

Printed, each with its ratio against a baseline measured in the same run:
1. the first package's import against plain COPY (PostgreSQL) / executemany
   (SQLite) of the same rows into an empty database of the same schema;
2. the coverage report («Охват ПК») per municipality against a hand-written SQL
   aggregate of the same figures (the figures are compared too);
3. search as you type over the whole region (first screen, p50/p95).

    .venv/bin/python bench/bench_region.py [--municipalities 60] [--teachers 2000] [--engines postgresql,sqlite]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from common import OUT, demo_database, percentiles

from app.services.common.bootstrap import close_database, open_database
from app.services.maintenance.moving import move_to_server
from app.services.development.pd_terms import last_base_due_by
from app.services.registry.service import RecordService
from app.services.reports.base import ReportParams
from app.services.reports.pk_coverage import PkCoverage
from app.storage.models import Teacher
from app.sync.export import export_delta
from app.sync.identity import init_installation, synced_tables, write_keycard
from app.sync.importer import import_package
from app.sync.partners import trust
from app.domain import rules
from tests.pg_cluster import start_cluster

QUERIES = ("иванов", "федоров", "семёнова анна", "петр", "ив", "сош", "нет такого")
FIRST_SCREEN = 60
REGION_CODE = "46"


def _code(i: int) -> str:
    return f"46-{201 + i}"


def _municipalities(work: Path, count: int, teachers: int, region_card: Path) -> list[tuple[str, Path, Path]]:
    """(code, package, the municipality's database) for each municipality; demo files are cached in bench/out."""
    made = []
    for i in range(count):
        path = work / f"mun-{i}.sqlite"
        name = f"Муниципалитет № {i + 1}"
        shutil.copy(demo_database(teachers, seed=101 + i, municipality=(_code(i), name)), path)
        mun, _ = open_database(str(path))
        init_installation(mun, "municipal", _code(i), name)
        write_keycard(mun, work / f"mun-{i}.card")
        trust(mun, region_card)
        package = export_delta(mun, work / f"first-{i}.msp").path
        close_database(mun)
        made.append((_code(i), package, path))
    return made


def _package_rows(mun_path: Path, code: str, typed: bool) -> list[tuple[str, list[str], list[tuple]]]:
    """The rows a first package carries, read beforehand: typed by SQLAlchemy for COPY, as stored for sqlite3."""
    out = []
    if not typed:
        con = sqlite3.connect(mun_path)
        for table in synced_tables():
            cols = [c.name for c in table.c]
            rows = con.execute(f'SELECT {", ".join(cols)} FROM "{table.name}" WHERE origin = ? AND change_seq > 0',
                               (code,)).fetchall()
            if rows:
                out.append((table.name, cols, rows))
        con.close()
        return out
    db, _ = open_database(str(mun_path))
    with db.read() as s:
        for table in synced_tables():
            rows = [tuple(r) for r in s.execute(
                select(table).where(table.c.origin == code, table.c.change_seq > 0))]
            if rows:
                out.append((table.name, [c.name for c in table.c], rows))
    close_database(db)
    return out


def _copy_baseline(url: str, rows) -> float:
    import psycopg
    from sqlalchemy.engine import make_url

    target, _ = open_database(url)       # the same schema, by the same migrations (not timed)
    target.dispose()
    u = make_url(url)
    with psycopg.connect(host=u.query["host"], user=u.username, dbname=u.database) as conn:
        started = time.perf_counter()
        with conn.cursor() as cur:
            for name, cols, values in rows:
                names = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f'COPY "{name}" ({names}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def _executemany_baseline(path: Path, rows) -> float:
    db, _ = open_database(str(path))
    close_database(db)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for name, cols, values in rows:
        con.executemany(f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})', values)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def _hand_coverage(raw, engine: str, code: str, day: date, warn_months: int) -> list[tuple]:
    """The «Охват ПК» figures of one municipality's organisations in one hand-written aggregate."""
    overdue = last_base_due_by(day - timedelta(days=1))
    warn = last_base_due_by(rules.add_months(day, warn_months))
    mark = "?" if engine == "sqlite" else "%s"
    base = "coalesce(t.last_pd_on, t.career_start, t.hired_on)"
    sql = (f"SELECT t.organization_id, min(coalesce(nullif(o.short_name, ''), o.full_name)), count(*), "
           f"sum(CASE WHEN t.last_pd_on > {mark} THEN 1 ELSE 0 END), "
           f"sum(CASE WHEN {base} > {mark} AND {base} <= {mark} THEN 1 ELSE 0 END), "
           f"sum(CASE WHEN {base} <= {mark} THEN 1 ELSE 0 END), "
           f"sum(CASE WHEN {base} IS NULL THEN 1 ELSE 0 END) "
           f"FROM teacher t JOIN organization o ON o.id = t.organization_id "
           f"WHERE t.deleted_at IS NULL AND o.deleted_at IS NULL AND o.origin = {mark} "
           f"GROUP BY t.organization_id")
    params = [overdue, overdue, warn, overdue, code]
    if engine == "sqlite":
        params = [p.isoformat() if isinstance(p, date) else p for p in params]
    return sorted((r[1],) + tuple(int(x) for x in r[2:]) for r in raw.execute(sql, params).fetchall())


def _region(engine: str, work: Path, cluster, keyholder) -> tuple[str, str]:
    """The region's database on ``engine`` — a copy of the one holding its keys and partners — and a
    target for the baseline (an empty database of the same schema)."""
    if engine == "postgresql":
        url = cluster.new_database()
        move_to_server(keyholder, url)
        return url, cluster.new_database()
    source, target = sqlite3.connect(work / "keys.sqlite"), sqlite3.connect(work / "region.sqlite")
    source.backup(target)           # the file itself may still have the last writes in its WAL
    target.close()
    source.close()
    return "sqlite:///" + str(work / "region.sqlite"), str(work / "baseline.sqlite")


def _run(engine: str, url: str, baseline_target: str, packages, repeat: int) -> None:
    from app.services.development.common import pd_settings

    print(f"\n== {engine} ==")
    region, _ = open_database(url)
    first_rows = _package_rows(packages[0][2], packages[0][0], typed=engine == "postgresql")
    row_count = sum(len(v) for _n, _c, v in first_rows)
    times = []
    started_all = time.perf_counter()
    for code, package, _path in packages:
        started = time.perf_counter()
        outcome = import_package(region, package)
        times.append(time.perf_counter() - started)
        assert outcome.applied, code
    total = time.perf_counter() - started_all
    baseline = (_copy_baseline(baseline_target, first_rows) if engine == "postgresql"
                else _executemany_baseline(Path(baseline_target), first_rows))
    print(f"first package: {row_count} rows, import {times[0]:.2f} s; "
          f"{'COPY' if engine == 'postgresql' else 'executemany'} of the same rows {baseline:.2f} s; "
          f"ratio {times[0] / baseline:.2f} (target ≤ 3)")
    print(f"all {len(packages)} packages: {total:.1f} s (per package p50 {sorted(times)[len(times) // 2]:.2f} s, "
          f"last {times[-1]:.2f} s)")
    with region.read() as s:
        teachers = s.query(Teacher).filter(Teacher.deleted_at.is_(None)).count()
    print(f"region holds {teachers} teachers")
    if engine == "postgresql":
        with region.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")      # what autovacuum does after a load this size

    day = date.today()
    warn_months = pd_settings(region).warn_months
    raw = _raw(engine, url)
    worst_ratio, report_times, hand_times = 0.0, [], []
    for code, _package, _path in packages:
        params = ReportParams(municipality=code, today=day)
        figures, hand = [], []
        report_s = percentiles(lambda: figures.append(_report_figures(region, params)), repeat)[0]
        hand_s = percentiles(lambda: hand.append(_hand_coverage(raw, engine, code, day, warn_months)), repeat)[0]
        assert figures[-1] == hand[-1] and figures[-1], f"{code}: the report and the hand SQL disagree"
        report_times.append(report_s)
        hand_times.append(hand_s)
        worst_ratio = max(worst_ratio, report_s / hand_s)
    print(f"coverage per municipality ({len(packages)} reports, figures equal to the hand SQL): "
          f"report p50 {sorted(report_times)[len(report_times) // 2] * 1000:.1f} ms, hand SQL p50 "
          f"{sorted(hand_times)[len(hand_times) // 2] * 1000:.1f} ms; worst ratio {worst_ratio:.2f} (target ≤ 2)")

    service = RecordService(region)
    worst = 0.0
    print(f"{'query':<16}{'p50 ms':>8}{'p95 ms':>8}")
    for q in QUERIES:
        p50, p95 = percentiles(lambda: service.first_ids("teachers", limit=FIRST_SCREEN, search=q), 25)
        worst = max(worst, p95)
        print(f"{q:<16}{p50 * 1000:>8.1f}{p95 * 1000:>8.1f}")
    print(f"slowest search p95 over {teachers} teachers: {worst * 1000:.0f} ms "
          f"(target < 100 ms: {'OK' if worst < 0.1 else 'TOO SLOW'})")
    raw.close()
    close_database(region)


def _report_figures(region, params: ReportParams) -> list[tuple]:
    """The report's rows as it builds them: the organisation's name and its five counts."""
    return sorted(tuple(row[0:6]) for row in PkCoverage().rows(region, params))


def _raw(engine: str, url: str):
    if engine == "sqlite":
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.query["host"], user=u.username, dbname=u.database, autocommit=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--municipalities", type=int, default=60)
    ap.add_argument("--teachers", type=int, default=2000)
    ap.add_argument("--engines", default="postgresql,sqlite")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="metodset-region-", dir=OUT))
    os.chmod(work, 0o755)
    cluster = start_cluster(work / "cluster") if "postgresql" in args.engines else None
    try:
        # The region's key card must exist before the municipalities trust it: a key pair made once.
        keyholder, _ = open_database(str(work / "keys.sqlite"))
        init_installation(keyholder, "region", REGION_CODE, "Региональный центр")
        write_keycard(keyholder, work / "region.card")
        started = time.perf_counter()
        packages = _municipalities(work, args.municipalities, args.teachers, work / "region.card")
        for n in range(len(packages)):
            trust(keyholder, work / f"mun-{n}.card")
        print(f"{len(packages)} municipalities × {args.teachers} teachers: packages ready in "
              f"{time.perf_counter() - started:.0f} s")
        for engine in args.engines.split(","):
            url, baseline = _region(engine, work, cluster, keyholder)
            _run(engine, url, baseline, packages, args.repeat)
        close_database(keyholder)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
