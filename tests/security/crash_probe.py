"""Kill a running command at a random moment and judge what it left (the crash-safety harness).

Each probe copies a prepared database, starts one command of the command
line in a child process, kills it with SIGKILL after a random delay, then
checks the database (integrity_check, foreign_key_check) and whether the
interrupted action is wholly applied or wholly absent. bench/crash_kill.py
runs many of these and prints the figures; a test runs a few.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from app.services.common.bootstrap import close_database, open_database
from app.services.maintenance.operations import check_database
from app.services.registry.overview import stats

ROOT = Path(__file__).resolve().parents[2]
IMPORT_ROWS = 1500
DEMO_TEACHERS = 1000


def teachers_csv(path: Path, rows: int = IMPORT_ROWS, prefix: str = "Проверкин") -> Path:
    """Distinct teachers (no СНИЛС): a complete import adds exactly ``rows``."""
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    lines = ["Фамилия;Имя;Отчество;Дата рождения"]
    for i in range(rows):
        tail = "".join(letters[(i // len(letters) ** k) % len(letters)] for k in range(3))
        lines.append(f"{prefix}{tail};Иван;Петрович;{1 + i % 28:02d}.{1 + i % 12:02d}.{1960 + i % 40}")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _import_outcome(db: Path, work: Path, before: dict) -> str:
    added = counts(db)["teachers"] - before["teachers"]
    return "absent" if added == 0 else "applied" if added == IMPORT_ROWS else f"torn: {added} of {IMPORT_ROWS}"


def _demo_outcome(db: Path, work: Path, before: dict) -> str:
    after = counts(db)
    if not any(after.values()):
        return "absent"
    return "applied" if after["teachers"] == DEMO_TEACHERS else f"torn: {after}"


def _export_outcome(db: Path, work: Path, before: dict) -> str:
    from openpyxl import load_workbook

    out = work / "probe-audit.xlsx"
    if not out.exists():
        return "absent"
    try:
        n = sum(1 for _ in load_workbook(out, read_only=True).active.iter_rows()) - 1
    except Exception as exc:  # noqa: BLE001 - a torn file is exactly what we look for
        return f"torn: {exc}"
    db_, _ = open_database(str(db))
    try:
        from app.services.accounts import audit_log
        expected = audit_log.count(db_)
    finally:
        close_database(db_)
    return "applied" if n == expected else f"torn: {n} of {expected} rows"




@dataclass(frozen=True)
class Scenario:
    name: str
    args: Callable[[Path, Path], list[str]]        # (db, workdir) → command-line arguments
    outcome: Callable[[Path, Path, dict], str]      # (db, workdir, counts before) → "applied"/"absent"/"torn: …"
    data_dir: Path | None = None                    # the user's data folder (keys) if not a fresh one per probe


@dataclass(frozen=True)
class ProbeResult:
    scenario: str
    delay: float
    finished: bool          # the command ended before the kill came
    ran_for: float          # seconds the child process ran
    check_ok: bool
    outcome: str
    leftovers: tuple[str, ...] = ()     # temp files a killed writer left beside its target (never the target)


def counts(db_path: Path) -> dict:
    db, _ = open_database(str(db_path))
    try:
        return stats(db)
    finally:
        close_database(db)


def run_probe(scenario: Scenario, base_db: Path, workdir: Path, delay: float) -> ProbeResult:
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "probe.sqlite"
    for p in workdir.iterdir():
        if p.is_file() and (p.name.startswith("probe") or _is_temp(p)):
            p.unlink()
    shutil.rmtree(workdir / "backups", ignore_errors=True)
    shutil.copy(base_db, db_path)
    before = counts(db_path)
    env = dict(os.environ, METODSET_DATA_DIR=str(scenario.data_dir or workdir / "userdata"))
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--db", str(db_path), *scenario.args(db_path, workdir)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    try:
        _, err = proc.communicate(timeout=delay)
        finished = True
        # A command that ended with an error never did its action: say why instead of judging it.
        refused = proc.returncode and f"refused: {(err.strip().splitlines() or [''])[-1][:200]}"
    except subprocess.TimeoutExpired:
        finished, refused = False, None
        proc.kill()       # SIGKILL: no handler, no cleanup, like a power cut for the process
        proc.communicate()
    ran_for = time.monotonic() - started
    db, _ = open_database(str(db_path))
    try:
        report = check_database(db)
    finally:
        close_database(db)
    outcome = refused or scenario.outcome(db_path, workdir, before)
    leftovers = tuple(sorted(p.name for p in workdir.iterdir() if p.is_file() and _is_temp(p)))
    return ProbeResult(scenario.name, delay, finished, ran_for, report.ok, outcome, leftovers)


def _is_temp(p: Path) -> bool:
    # The writers' temp names: reports ".~NAME….xlsx/.pdf", packages and audit export "NAME.part".
    return p.name.startswith(".~") or p.name.endswith(".part")


def random_delays(n: int, low: float, high: float, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(low, high) for _ in range(n)]


# The same start-up as every scenario (imports, opening, sign-in) with no work after it.
STARTUP = Scenario("startup", lambda db, work: ["stats"], lambda db, work, before: "applied")

SCENARIOS = {
    "import": Scenario("import", lambda db, work: ["import", "teachers", str(teachers_csv(work / "teachers.csv"))],
                       _import_outcome),
    "demo": Scenario("demo", lambda db, work: ["demo", "--teachers", str(DEMO_TEACHERS)], _demo_outcome),
    "export": Scenario("export", lambda db, work: ["audit", "--out", str(work / "probe-audit.xlsx")], _export_outcome),
}
