"""Benchmark: the «Главная» read (every figure, chart and «На контроле») at 100,000 teachers.

compute_dashboard runs in a worker thread at start; it is timed here against
the existing «Охват по организациям» report (coverage_by_organization, one
grouped pass over the teacher table) measured in the same run, and each step
is timed on its own so that a slow one shows.
    .venv/bin/python bench/bench_dashboard.py [--teachers 100000]
"""
from __future__ import annotations

import argparse
from datetime import date

from common import demo_database, median_seconds

from app.services.reports import dashboard as D
from app.services.reports.attention import attention_groups
from app.services.common.bootstrap import close_database, open_database
from app.services.development.pd_terms import coverage_by_organization


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    path = demo_database(args.teachers)
    db, _ = open_database(str(path))
    today = date.today()
    try:
        d = D.compute_dashboard(db, today)
        print(f"teachers {d.teachers}, overdue {d.pd_counts['overdue']}, young without mentor "
              f"{d.young_without_mentor}, attention groups {len(d.attention)}")
        steps = {
            "teacher figures": lambda: D._teacher_figures(db, today, D.Dashboard(today)),
            "events": lambda: D._event_figures(db, today, D.Dashboard(today)),
            "materials": lambda: D._material_figures(db, D.Dashboard(today)),
            "young without mentor": lambda: D.young_without_mentor_count(db, today),
            "attention (counts given)": lambda: attention_groups(db, today, pd_due_soon=0, young_without_mentor=0),
        }
        for name, fn in steps.items():
            print(f"  {name:<26}{median_seconds(fn, args.repeat) * 1000:9.1f} ms")
        whole = median_seconds(lambda: D.compute_dashboard(db, today), args.repeat)
        base = median_seconds(lambda: coverage_by_organization(db, today), args.repeat)
        print(f"dashboard {whole * 1000:.1f} ms; coverage report (baseline) {base * 1000:.1f} ms; "
              f"ratio {whole / base:.2f}")
    finally:
        close_database(db)


if __name__ == "__main__":
    main()
