"""Benchmark: `demo --teachers N` and start-up to the first painted window on that database.

Each figure is printed with a baseline measured in the same run:
- demo: a raw ``sqlite3.executemany`` insert of exactly the rows demo produced
  (read back from the demo database), into the same schema, one transaction;
- start-up: a bare PySide6 process that shows an empty QMainWindow, until its
  first paint.
Not part of the test run:  .venv/bin/python bench/bench_demo_startup.py --teachers 100000
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services.common.bootstrap import open_database  # noqa: E402
from app.services.demo.generator import generate_demo  # noqa: E402

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QObject, QEvent
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            print(time.time(), flush=True); app.quit()
        return False
w = QMainWindow(); w.resize(1200, 800); w.setWindowTitle("bare")
f = Painted(); w.installEventFilter(f); w.show()
app.exec()
"""

APP_WINDOW = """
import sys, time
# What main.py does first: the start-up window, painted before the program is imported.
from app.ui.shell.splash import close_splash, show_splash
show_splash()
print(time.time(), flush=True)
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication
from app.services.common.bootstrap import open_database
from app.ui.shell.application import setup_application
from app.ui.shell.main_window import MainWindow
app = QApplication.instance() or QApplication(sys.argv[:1])
setup_application(app)
db, _ = open_database(sys.argv[1])
close_splash()
window = MainWindow(db)
window.select_section("teachers")
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint:
            # The window waits for its background reads as it closes; a bare quit would abort on them.
            print(time.time(), flush=True); QTimer.singleShot(0, window.close)
        return False
f = Painted(); window.installEventFilter(f); window.show()
app.exec()
"""


def copy_rows_raw(src: Path, dest: Path) -> float:
    """Inserts every row of ``src`` into an empty copy of its schema with raw sqlite3; returns seconds."""
    s = sqlite3.connect(src)
    schema = [r[0] for r in s.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('table','index') AND sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%'")]
    tables = [r[0] for r in s.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    data = {t: s.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    s.close()
    d = sqlite3.connect(dest, isolation_level=None)
    d.execute("PRAGMA journal_mode=WAL")
    d.execute("PRAGMA synchronous=FULL")
    for sql in schema:
        d.execute(sql)
    start = time.perf_counter()
    d.execute("BEGIN")
    for t, rows in data.items():
        if rows:
            marks = ",".join("?" * len(rows[0]))
            d.executemany(f'INSERT INTO "{t}" VALUES ({marks})', rows)
    d.execute("COMMIT")
    elapsed = time.perf_counter() - start
    d.close()
    return elapsed


def paint_times(code: str, *args: str) -> list[float]:
    """Seconds from the process start to each time the code printed (a window painted)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = str(ROOT)
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                         timeout=300, cwd=ROOT)
    if out.returncode != 0 or not out.stdout.strip():
        raise RuntimeError(out.stderr[-2000:])
    return [float(line) - start for line in out.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--teachers", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="start-up measurements (median)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["METODSET_DATA_DIR"] = tmp
        path = Path(tmp) / "demo.sqlite"
        db, _ = open_database(str(path))
        t0 = time.perf_counter()
        result = generate_demo(db, args.teachers, seed=1)
        demo_s = time.perf_counter() - t0
        db.dispose()
        rows = sum(result.counts.values())
        raw_s = copy_rows_raw(path, Path(tmp) / "raw.sqlite")
        print(f"demo --teachers {args.teachers}: {demo_s:.1f} s for {rows} rows "
              f"(limit 120 s: {'OK' if demo_s < 120 else 'TOO SLOW'})")
        print(f"  baseline raw sqlite3 executemany of the same rows: {raw_s:.2f} s; ratio {demo_s / raw_s:.1f}x")

        bare = statistics.median(paint_times(BARE_WINDOW)[0] for _ in range(args.repeat))
        runs = [paint_times(APP_WINDOW, str(path)) for _ in range(args.repeat)]
        first = statistics.median(r[0] for r in runs)
        ready = statistics.median(r[-1] for r in runs)
        print(f"start-up to the first painted window (the start-up window): {first:.2f} s")
        print(f"  baseline bare PySide6 window: {bare:.2f} s; ratio {first / bare:.1f}x "
              f"(target 1.5x: {'OK' if first <= 1.5 * bare else 'TOO SLOW'})")
        print(f"start-up to the main window painted on «Педагоги» of that database: {ready:.2f} s; "
              f"ratio {ready / bare:.1f}x")


if __name__ == "__main__":
    main()
