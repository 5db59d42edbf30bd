"""Benchmark: many users on one database — throughput, latency, errors and lost updates, PostgreSQL beside SQLite.

CLIENTS processes (separate programs, as office PCs are) work for SECONDS on a
demo centre: search as you type, open a teacher's card, add a diagnostic (a PD
record), edit one of the same 50 teachers every client edits, and now and then
build the PD coverage report. Each edit names the version it opened; a refused
one (ConcurrentEdit) is counted as refused, not as an error.

Lost updates are counted afterwards: every acknowledged edit raised its teacher's
row_version by exactly one, so the sum of the 50 teachers' version increases
must equal the number of acknowledged edits; every acknowledged diagnostic must
exist. The baseline of each engine is a raw single-row read on the same
connection kind, measured in the same run.
    .venv/bin/python bench/bench_load.py [--clients 20] [--seconds 120] [--teachers 5000]
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from common import demo_database

HOT = 50
QUERIES = ("иван", "петр", "сем", "анна", "ольг", "сош", "кузн", "мар")


def _client(url: str, seconds: float, hot: list[str], seed: int, queue) -> None:
    from app.services.common.actor import Actor
    from app.services.common.errors import ConcurrentEdit
    from app.services.registry.service import RecordService
    from app.services.registry.teacher_card import teacher_card
    from app.services.reports import ReportParams, run_report
    from app.storage.database import Database

    rng = random.Random(seed)
    db = Database(url)
    service = RecordService(db, Actor(f"client{seed}"))
    lat: dict[str, list[float]] = {k: [] for k in ("search", "card", "add_pd", "edit", "report")}
    edits = refused = errors = 0
    created: list[str] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        op = rng.choices(("search", "card", "add_pd", "edit", "report"), (40, 25, 15, 18, 2))[0]
        started = time.perf_counter()
        try:
            if op == "search":
                service.first_ids("teachers", limit=60, search=rng.choice(QUERIES)[:rng.randint(2, 4)])
            elif op == "card":
                teacher_card(db, rng.choice(hot))
            elif op == "add_pd":
                created.append(service.create("diagnostics", {
                    "teacher_id": rng.choice(hot), "held_on": date(2026, 1 + rng.randrange(11), 1 + rng.randrange(27)),
                    "instrument": f"Нагрузка {seed}"})["id"])
            elif op == "edit":
                tid = rng.choice(hot)
                version = service.get("teachers", tid)["row_version"]
                try:
                    service.update("teachers", tid, {"notes": f"клиент {seed}, правка {edits}"},
                                   expected_version=version)
                    edits += 1
                except ConcurrentEdit:
                    refused += 1
            else:
                sum(1 for _ in run_report(db, "pk-coverage", ReportParams()).rows())
            lat[op].append(time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - counted; the first few are shown
            errors += 1
            if errors <= 3:
                print(f"client {seed}: {op}: {type(exc).__name__}: {exc}", flush=True)
    db.dispose()
    queue.put({"lat": lat, "edits": edits, "refused": refused, "errors": errors, "created": created})


def _run(url: str, clients: int, seconds: float, hot: list[str]) -> dict:
    from sqlalchemy import select

    from app.storage.database import Database
    from app.storage.models import Diagnostic, Teacher

    db = Database(url)
    with db.read() as s:
        before = dict(s.execute(select(Teacher.id, Teacher.row_version).where(Teacher.id.in_(hot))).all())
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_client, args=(url, seconds, hot, n, queue)) for n in range(clients)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=seconds + 300) for _ in procs]
    for p in procs:
        p.join()
    with db.read() as s:
        after = dict(s.execute(select(Teacher.id, Teacher.row_version).where(Teacher.id.in_(hot))).all())
        created = [i for r in results for i in r["created"]]
        found = 0
        for i in range(0, len(created), 500):
            found += len(s.scalars(select(Diagnostic.id).where(Diagnostic.id.in_(created[i:i + 500]))).all())
    db.dispose()
    lat = {k: [x for r in results for x in r["lat"][k]] for k in results[0]["lat"]}
    edits = sum(r["edits"] for r in results)
    return {"lat": lat, "edits": edits, "refused": sum(r["refused"] for r in results),
            "errors": sum(r["errors"] for r in results), "versions": sum(after[t] - before[t] for t in hot),
            "created": len(created), "found": found}


def _report(engine: str, r: dict, seconds: float) -> None:
    ops = sum(len(v) for v in r["lat"].values())
    print(f"\n{engine}: {ops} operations in {seconds:.0f} s = {ops / seconds:.0f}/s, errors {r['errors']}")
    print(f"{'operation':<10}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for op, values in r["lat"].items():
        if values:
            values.sort()
            print(f"{op:<10}{len(values):>8}{statistics.median(values) * 1000:>9.1f}"
                  f"{values[int(len(values) * 0.95) - 1] * 1000:>9.1f}")
    lost_edits = r["edits"] - r["versions"]
    lost_rows = r["created"] - r["found"]
    print(f"edits acknowledged {r['edits']}, refused as concurrent {r['refused']}, version increases "
          f"{r['versions']}: lost updates {lost_edits}; diagnostics acknowledged {r['created']}, "
          f"found {r['found']}: lost {lost_rows}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--teachers", type=int, default=5000)
    ap.add_argument("--engines", default="postgresql,sqlite", help="which engines to load, comma-separated")
    args = ap.parse_args()
    from sqlalchemy import select

    from app.services.common.bootstrap import open_database
    from app.services.maintenance.moving import move_to_server
    from app.storage.models import Teacher
    from tests.pg_cluster import start_cluster

    source = demo_database(args.teachers)
    work = Path(tempfile.mkdtemp(prefix="metodset-load-"))
    os.chmod(work, 0o755)
    lite_path = work / "centre.sqlite"
    shutil.copy(source, lite_path)
    lite, _ = open_database(str(lite_path))
    # Demo accounts are left out: the clients write as the installation itself (set-up mode).
    with lite.session() as s:
        s.execute(__import__("sqlalchemy").text("DELETE FROM account"))
    with lite.read() as s:
        hot = list(s.scalars(select(Teacher.id).where(Teacher.deleted_at.is_(None)).order_by(Teacher.id).limit(HOT)))
    cluster = start_cluster(work / "cluster")
    try:
        url = cluster.new_database()
        move_to_server(lite, url)
        lite.dispose()
        targets = {"postgresql": url, "sqlite": "sqlite:///" + str(lite_path)}
        for engine in args.engines.split(","):
            target = targets[engine]
            _report(engine, _run(target, args.clients, args.seconds, hot), args.seconds)
    finally:
        cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
