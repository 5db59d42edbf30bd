"""Crash safety: SIGKILL at random moments during import, sync import, demo generation and report writing.

After every kill the database must pass `check` (integrity_check and
foreign_key_check) and the interrupted action must be wholly applied or wholly
absent; a report file is either complete or not there. Prints the figures.

    .venv/bin/python bench/crash_kill.py [--kills-per-scenario 15] [--teachers 2000] [--only sync,report.xlsx]

Scenarios: import (spreadsheet of 1,500 teachers), demo (1,000 teachers),
export (the audit log to xlsx), sync (the region imports a municipality's first
package of a --teachers demo, with a receipt), report.xlsx (pk-credits) and
report.pdf (pk-coverage) on a --teachers demo.
"""
from __future__ import annotations

import argparse
import random
import statistics
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import OUT  # noqa: E402
from tests.security.crash_probe import SCENARIOS, STARTUP, run_probe  # noqa: E402
from tests.security.crash_scenarios import (prepare_report, prepare_sync, report_scenario,  # noqa: E402
                                            sync_scenario)


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


def large_scenarios(work: Path, teachers: int) -> tuple[dict, dict[str, Path]]:
    """A --teachers demo made by the command line (so with its accounts): the municipality and the reports."""
    from app.cli import main

    large = work / "base-large.sqlite"
    assert main(["--db", str(large), "demo", "--teachers", str(teachers)]) == 0
    sync = prepare_sync(work / "sync-setup", large)
    print(f"sync: the first package carries {sum(sync.manifest.values())} records "
          f"({sync.manifest.get('teacher', 0)} teachers), {sync.package.stat().st_size / 1e6:.1f} MB")
    scenarios, bases = {"sync": sync_scenario(sync)}, {"sync": sync.region}
    for report, suffix in (("pk-credits", ".xlsx"), ("pk-coverage", ".pdf")):
        reference = prepare_report(work / "report-setup", large, report, suffix)
        print(f"report{suffix}: {report} undisturbed has {reference} {'pages' if suffix == '.pdf' else 'rows'}")
        scenarios[f"report{suffix}"] = report_scenario(report, suffix, reference)
        bases[f"report{suffix}"] = large
    return scenarios, bases


def stratified_delays(n: int, low: float, high: float, rng: random.Random) -> list[float]:
    """One random moment in each of ``n`` equal slices of the window: the kills cover all of the work."""
    step = (high - low) / n
    return [low + step * (i + rng.random()) for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills-per-scenario", type=int, default=15)
    ap.add_argument("--teachers", type=int, default=2000, help="size of the demo for sync import and reports")
    ap.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    args = ap.parse_args()
    import os
    os.environ["METODSET_USER"], os.environ["METODSET_PASSWORD"] = "admin", "demo"
    work = OUT / "crash"
    shutil.rmtree(work, ignore_errors=True)
    bases = base_databases(work)
    extra, extra_bases = large_scenarios(work, args.teachers)
    bases.update(extra_bases)
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    total = Counter()
    table = []
    leftover_names = Counter()
    for name, scenario in {**SCENARIOS, **extra}.items():
        if only and name not in only:
            continue
        # Kills land between the end of start-up and the end of an undisturbed run of the command.
        # Medians of three: the machine is shared, one run alone is a noisy yardstick.
        startup = statistics.median(run_probe(STARTUP, bases[name], work / name, delay=120).ran_for
                                    for _ in range(3))
        runs = [run_probe(scenario, bases[name], work / name, delay=120) for _ in range(3)]
        full = sorted(runs, key=lambda r: r.ran_for)[1]
        outcomes, row = Counter(), Counter()
        rng = random.Random(len(name))
        for delay in stratified_delays(args.kills_per_scenario, startup, full.ran_for, rng):
            r = run_probe(scenario, bases[name], work / name, delay)
            if r.finished:
                # This run was quicker than the reference: count it, then kill one inside its actual span.
                outcomes[("finished before the kill", r.outcome, r.check_ok)] += 1
                row["finished before the kill"] += 1
                row["check failed"] += not r.check_ok
                row["torn"] += r.outcome.startswith("torn")
                r = run_probe(scenario, bases[name], work / name, rng.uniform(min(startup, 0.6 * r.ran_for), 0.97 * r.ran_for))
            state = "finished before the kill" if r.finished else "killed"
            outcomes[(state, r.outcome, r.check_ok)] += 1
            row[state] += 1
            if not r.finished:
                row[r.outcome.split()[0].rstrip(":")] += 1
            row["check failed"] += not r.check_ok
            row["torn"] += r.outcome.startswith("torn")
            row["leftovers"] += bool(r.leftovers)
            if r.leftovers:
                leftover_names.update(n.split("probe")[0] + "probe…" + Path(n).suffix for n in r.leftovers)
        print(f"{name}: start-up {startup:.1f} s, undisturbed run {full.ran_for:.1f} s → {full.outcome}, "
              f"check ok: {full.check_ok}; kills at random moments between the two")
        for (state, outcome, ok), n in sorted(outcomes.items()):
            print(f"    {n:3d} × {state:25s} outcome={outcome:10s} check={'ok' if ok else 'FAILED'}")
        table.append((name, row))
        total.update(row)
    print()
    head = ("scenario", "kills", "absent", "applied", "finished first", "check failed", "torn/broken", "temp left")
    print(" | ".join(head))
    for name, row in table + [("total", total)]:
        print(" | ".join([name] + [str(row[k]) for k in ("killed", "absent", "applied", "finished before the kill",
                                                         "check failed", "torn", "leftovers")]))
    if leftover_names:
        print("temp files left beside the target (the real name never held a broken file):",
              ", ".join(f"{n} × {c}" for n, c in leftover_names.most_common()))
    return 1 if total["check failed"] or total["torn"] else 0


if __name__ == "__main__":
    sys.exit(main())
