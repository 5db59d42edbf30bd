"""Benchmark: a report over 100,000 teachers streamed into Excel (openpyxl write-only mode).

The report «pk-credits» (credits and hours by teacher, organisation and year:
one ordered query over every completed route item, grouped as it streams,
personal data masked, styled cells, totals) is timed from the database to the
saved file. The baseline, in the same run, is a bare openpyxl write-only
workbook of exactly the same cells (the report's own rows, collected before
timing): the least any writer of that sheet could cost. Target: ≤ 1.5×.
    .venv/bin/python bench/bench_reports.py [--teachers 100000] [--report pk-credits]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from common import demo_database

from openpyxl import Workbook

from app.services.common.bootstrap import close_database, open_database
from app.export.report_files import save_report
from app.services.reports import ReportParams, run_report


def bare_write(rows: list[tuple], path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Лист1")
    for row in rows:
        ws.append(row)
    wb.save(path)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100_000)
    ap.add_argument("--report", default="pk-credits")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db, _ = open_database(str(demo_database(args.teachers)))
    params = ReportParams()
    run = run_report(db, args.report, params)
    rows = list(run.rows())                     # the same cells, collected outside the timing
    rows.append(run.totals())
    cells = len(rows) * len(run.columns)
    with tempfile.TemporaryDirectory() as tmp:
        out, base = Path(tmp) / "report.xlsx", Path(tmp) / "bare.xlsx"
        report_times, bare_times = [], []
        for _ in range(args.repeat):            # interleaved, so that both see the same machine load
            report_times.append(timed(lambda: save_report(db, args.report, params, out)))
            bare_times.append(timed(lambda: bare_write(rows, base)))
        report_s, bare_s = statistics.median(report_times), statistics.median(bare_times)
        size = out.stat().st_size
    ratio = report_s / bare_s
    print(f"report {args.report}: {len(rows) - 1} rows × {len(run.columns)} columns = {cells} cells, "
          f"{size / 1e6:.1f} MB")
    print(f"{'report (query + stream + styles)':<36}{report_s:>8.2f} s")
    print(f"{'bare openpyxl write-only, same cells':<36}{bare_s:>8.2f} s")
    print(f"ratio {ratio:.2f} (target ≤ 1.5: {'OK' if ratio <= 1.5 else 'TOO SLOW'})")
    close_database(db)


if __name__ == "__main__":
    main()
