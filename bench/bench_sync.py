"""Benchmark: a delta of 10 changes costs the same from 100,000 teachers as from 1,000.

For each size, a copy of the cached demo database is set up as a municipality
that trusts a region, the region's acknowledgement of everything so far is
recorded (as importing its receipt would), 10 teachers are edited, and
``export_delta`` — what `sync export` runs — is timed. The query behind it is
a range on ``change_seq``, which every synchronised table indexes; its plan
for the teacher table is printed. Target: ratio (large / small) below 2.
    .venv/bin/python bench/bench_sync.py [--large 100000] [--small 1000]
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import OUT, demo_database, median_seconds

from app.services.common.bootstrap import close_database, open_database
from app.services.registry.service import RecordService
from sqlalchemy import select

from app.storage.base import utcnow
from app.storage.models import SyncPackage, SyncPartner
from app.storage.numbering import last_change_seq
from app.sync.export import export_delta
from app.sync.identity import init_installation, write_keycard
from app.sync.ledger import out_channel
from app.sync.partners import trust


def _municipality(source: Path, work: Path, region_card: Path):
    path = work / f"mun-{source.stem}.sqlite"
    con = sqlite3.connect(source)
    con.backup(sqlite3.connect(path))
    con.close()
    db, _ = open_database(str(path))
    init_installation(db, "municipal", "46-231", f"ММЦ ({source.stem})")
    trust(db, region_card)
    # What importing the region's receipt for an earlier full package leaves behind.
    with db.session() as s:
        upto = last_change_seq(s)
        region = s.scalars(select(SyncPartner)).one()
        s.add(SyncPackage(direction="out", kind="delta", package_id="bench-ack", partner_id=region.installation_id,
                          partner_code=region.municipality_code, sequence=out_channel(s, region.installation_id,
                                                                                       "delta").last_sequence + 1,
                          sha256="0" * 64, since_change_seq=0, upto_change_seq=upto,
                          acknowledged_at=utcnow()))
    service = RecordService(db)
    for teacher_id in service.ids("teachers")[:10]:
        service.update("teachers", teacher_id, {"notes": "изменено для замера"})
    return db, path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--large", type=int, default=100_000)
    ap.add_argument("--small", type=int, default=1_000)
    args = ap.parse_args()
    sources = {n: demo_database(n) for n in (args.small, args.large)}
    work = Path(tempfile.mkdtemp(dir=OUT))
    try:
        region, _ = open_database(str(work / "region.sqlite"))
        init_installation(region, "region", "46", "Регион")
        write_keycard(region, work / "region.card")
        close_database(region)
        timings = {}
        for n, source in sources.items():
            db, path = _municipality(source, work, work / "region.card")
            result = export_delta(db, work / "probe.msp")
            assert result.total == 10, result.counts
            timings[n] = median_seconds(lambda: export_delta(db, work / "delta.msp"), repeat=9)
            plan = sqlite3.connect(path).execute(
                "EXPLAIN QUERY PLAN SELECT * FROM teacher WHERE change_seq > ? AND change_seq <= ?", (1, 2)).fetchall()
            print(f"{n:>8} teachers: export of 10 changes {timings[n] * 1000:7.1f} ms   plan: {plan[0][-1]}")
            close_database(db)
        ratio = timings[args.large] / timings[args.small]
        print(f"ratio {args.large} / {args.small}: {ratio:.2f} (target < 2: {'OK' if ratio < 2 else 'TOO SLOW'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
