"""Crash safety: SIGKILL at random moments during import, demo generation and report writing.

After every kill the database must pass `check` (integrity_check and
foreign_key_check) and the interrupted action must be wholly applied or wholly
absent; a report file is either complete or not there. Prints the figures.

    .venv/bin/python bench/crash_kill.py [--kills-per-scenario 20]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import OUT  # noqa: E402
from tests.security.crash_probe import SCENARIOS, STARTUP, random_delays, run_probe  # noqa: E402


def base_databases(work: Path) -> dict[str, Path]:
    """An empty migrated database (demo), and one with a demo registry and an imported file (import, export)."""
    from app.cli import main

    work.mkdir(parents=True, exist_ok=True)
    empty = work / "base-empty.sqlite"
    filled = work / "base-filled.sqlite"
    for p in work.glob("base-*"):
        p.unlink()
    assert main(["--db", str(empty), "check"]) == 0
    assert main(["--db", str(filled), "demo", "--teachers", "300"]) == 0
    from tests.security.crash_probe import teachers_csv
    csv = teachers_csv(work / "first.csv", prefix="Базовый")
    # The export scenario needs a log worth writing: an import adds a line per teacher.
    assert main(["--db", str(filled), "import", "teachers", str(csv)]) == 0
    return {"demo": empty, "import": filled, "export": filled}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills-per-scenario", type=int, default=20)
    args = ap.parse_args()
    import os
    os.environ["METODSET_USER"], os.environ["METODSET_PASSWORD"] = "admin", "demo"
    work = OUT / "crash"
    shutil.rmtree(work, ignore_errors=True)
    bases = base_databases(work)
    total = Counter()
    for name, scenario in SCENARIOS.items():
        # Kills land between the end of start-up and the end of an undisturbed run of the command.
        startup = min(run_probe(STARTUP, bases[name], work / name, delay=120).ran_for for _ in range(2))
        full = run_probe(scenario, bases[name], work / name, delay=120)
        outcomes = Counter()
        for delay in random_delays(args.kills_per_scenario, startup, full.ran_for, seed=len(name)):
            r = run_probe(scenario, bases[name], work / name, delay)
            outcomes[("finished before the kill" if r.finished else "killed", r.outcome, r.check_ok)] += 1
        print(f"{name}: start-up {startup:.1f} s, undisturbed run {full.ran_for:.1f} s → {full.outcome}, "
              f"check ok: {full.check_ok}; kills at random moments between the two")
        for (state, outcome, ok), n in sorted(outcomes.items()):
            print(f"    {n:3d} × {state:25s} outcome={outcome:10s} check={'ok' if ok else 'FAILED'}")
            total[state] += n
            total[outcome] += n if state == "killed" else 0
            total["check failed"] += 0 if ok else n
            total["torn"] += n if outcome.startswith("torn") else 0
    print(f"kills: {total['killed']} (action absent after {total['absent']}, wholly applied after "
          f"{total['applied']}), finished before the kill: {total['finished before the kill']}, "
          f"check failures: {total['check failed']}, torn actions: {total['torn']}")
    return 1 if total["check failed"] or total["torn"] else 0


if __name__ == "__main__":
    sys.exit(main())
