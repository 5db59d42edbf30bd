"""Shared by the benchmarks: a demo database of N teachers, built once and kept in bench/out/."""
from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)      # a fresh clone has no bench/out yet
sys.path.insert(0, str(ROOT))
os.environ.setdefault("METODSET_DATA_DIR", str(OUT / "userdata"))


def demo_database(teachers: int, seed: int = 1, municipality: tuple[str, str] | None = None) -> Path:
    """The path of a migrated demo database with ``teachers`` teachers (cached between runs);
    ``municipality`` = (code, name) of the network, else the demo's own."""
    from app.services.common.bootstrap import close_database, open_database
    from app.services.demo.generator import generate_demo

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"demo-{teachers}-{seed}{'-' + municipality[0] if municipality else ''}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
            p.unlink(missing_ok=True)
        print(f"building a demo database of {teachers} teachers …", file=sys.stderr)
        db, _ = open_database(str(tmp))
        if municipality:
            generate_demo(db, teachers, seed, municipality_code=municipality[0], municipality_name=municipality[1])
        else:
            generate_demo(db, teachers, seed)
        close_database(db)
        # Fold the WAL into the file with every pooled connection gone; a checkpoint
        # through the pool can meet a connection still holding its read snapshot.
        raw = sqlite3.connect(tmp)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.close()
        os.replace(tmp, path)
    else:
        db, _ = open_database(str(path))  # brings an older cached file to the current schema
        close_database(db)
    return path


def median_seconds(fn: Callable[[], object], repeat: int = 15) -> float:
    fn()  # warm the page cache and statement caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def percentiles(fn: Callable[[], object], repeat: int = 25) -> tuple[float, float]:
    """(p50, p95) seconds of ``fn`` over ``repeat`` runs after one warm-up run."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]
