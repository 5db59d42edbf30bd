"""Benchmark: search-as-you-type in the teacher list at 100,000 teachers.

For each query, RecordService.ids(search=…) — what the list view calls — is
timed against a raw sqlite3 query in the same run that finds the same
teachers by their own search key, in the same order. Target: under 100 ms.
    .venv/bin/python bench/bench_search.py [--teachers 100000]
"""
from __future__ import annotations

import argparse
import sqlite3

from common import demo_database, median_seconds

from app.domain.names import search_key
from app.services.bootstrap import close_database, open_database
from app.services.records import RecordService

QUERIES = ("иванов", "федоров", "семёнова анна", "петр", "112-23", "@mail", "ив")

RAW = ("SELECT id FROM teacher WHERE deleted_at IS NULL AND {cond} "
       "ORDER BY last_name, first_name, middle_name, id")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100_000)
    args = ap.parse_args()
    path = demo_database(args.teachers)
    db, _ = open_database(str(path))
    service = RecordService(db)
    raw = sqlite3.connect(path)
    print(f"{'query':<16}{'found':>8}{'service ms':>12}{'raw ms':>9}{'ratio':>8}")
    worst = 0.0
    for q in QUERIES:
        words = ["".join(c for c in q if c.isdigit())] if q[0].isdigit() else search_key(q).split()
        cond = " AND ".join("instr(search_key, ?) > 0" for _ in words)
        found = len(service.ids("teachers", search=q))
        svc = median_seconds(lambda: service.ids("teachers", search=q))
        base = median_seconds(lambda: raw.execute(RAW.format(cond=cond), words).fetchall())
        worst = max(worst, svc)
        print(f"{q:<16}{found:>8}{svc * 1000:>12.1f}{base * 1000:>9.1f}{svc / base:>8.2f}")
    full = median_seconds(lambda: service.ids("teachers"), repeat=5)
    base_full = median_seconds(lambda: raw.execute(RAW.format(cond="1")).fetchall(), repeat=5)
    print(f"{'(whole list)':<16}{args.teachers:>8}{full * 1000:>12.1f}{base_full * 1000:>9.1f}"
          f"{full / base_full:>8.2f}")
    print(f"slowest search: {worst * 1000:.0f} ms (target < 100 ms: {'OK' if worst < 0.1 else 'TOO SLOW'})")
    close_database(db)


if __name__ == "__main__":
    main()
