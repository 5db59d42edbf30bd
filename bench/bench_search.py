"""Benchmark: search-as-you-type in the teacher list at 100,000 teachers.

For each query, RecordService.first_ids(search=…) — what the list view
shows at once: the first screen and, for up to FULL_ANSWER_MAX matches, the
whole ordered answer — and RecordService.ids(…) — the whole ordered list the
view reads in the background for broader searches — are timed against a raw
sqlite3 query in the same run that finds the same teachers by their own search
key, in the same order. Target: the first screen in under 100 ms.
    .venv/bin/python bench/bench_search.py [--teachers 100000]
"""
from __future__ import annotations

import argparse
import sqlite3

from common import demo_database, median_seconds

from app.domain.names import search_key
from app.services.common.bootstrap import close_database, open_database
from app.services.registry.service import RecordService
from app.ui.common.record_table_model import FIRST_SCREEN

QUERIES = ("иванов", "федоров", "семёнова анна", "петр", "112-23", "@mail", "ив", "сош", "нет такого")

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
    print(f"{'query':<16}{'found':>8}{'first ms':>10}{'whole ms':>10}{'raw ms':>9}{'first/raw':>10}")
    worst = 0.0
    for q in QUERIES:
        words = ["".join(c for c in q if c.isdigit())] if q[0].isdigit() else search_key(q).split()
        cond = " AND ".join("instr(search_key, ?) > 0" for _ in words)
        found = len(service.ids("teachers", search=q))
        first = median_seconds(lambda: service.first_ids("teachers", limit=FIRST_SCREEN, search=q))
        whole = median_seconds(lambda: service.ids("teachers", search=q))
        base = median_seconds(lambda: raw.execute(RAW.format(cond=cond), words).fetchall())
        worst = max(worst, first)
        print(f"{q:<16}{found:>8}{first * 1000:>10.1f}{whole * 1000:>10.1f}{base * 1000:>9.1f}"
              f"{first / base:>10.2f}")
    first = median_seconds(lambda: service.first_ids("teachers", limit=FIRST_SCREEN), repeat=5)
    full = median_seconds(lambda: service.ids("teachers"), repeat=5)
    base_full = median_seconds(lambda: raw.execute(RAW.format(cond="1")).fetchall(), repeat=5)
    print(f"{'(whole list)':<16}{args.teachers:>8}{first * 1000:>10.1f}{full * 1000:>10.1f}"
          f"{base_full * 1000:>9.1f}{first / base_full:>10.2f}")
    print(f"slowest first screen: {worst * 1000:.0f} ms "
          f"(target < 100 ms: {'OK' if worst < 0.1 else 'TOO SLOW'})")
    close_database(db)


if __name__ == "__main__":
    main()
