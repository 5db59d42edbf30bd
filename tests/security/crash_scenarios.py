"""The crash-safety scenarios that need a prepared world: a sync import and report writing.

``prepare_sync`` builds (once) a municipality and a region that trust each
other and the municipality's first package; ``sync_scenario`` then kills
`sync import PACKAGE --receipt-out …` on copies of the region. ``report_scenario``
kills `report NAME --out FILE` on copies of a filled database and judges the
file against an undisturbed run of the same report made in the set-up.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.services.common.bootstrap import close_database, open_database
from tests.security.crash_probe import Scenario

RECEIPT = "probe-receipt.msp"


@dataclass(frozen=True)
class SyncSetup:
    region: Path                  # the region's database before the import (copied for every probe)
    package: Path                 # the municipality's first package
    manifest: dict[str, int]      # rows per table the package carries (its own counts)
    region_base: dict[str, int]   # rows per table the region held before
    region_sign_key: bytes        # to verify the receipt the region writes
    data_dir: Path                # where the installations' keys are kept


def _table_counts(db: Path, tables) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def prepare_sync(work: Path, source: Path, region_template: Path | None = None) -> SyncSetup:
    """The municipality is a copy of ``source`` (a filled database); the region starts empty
    (a copy of ``region_template``, an empty migrated database, or migrated here)."""
    from app.services.common.bootstrap import data_dir
    from app.sync.export import export_delta
    from app.sync.identity import init_installation, write_keycard
    from app.sync.partners import trust

    work.mkdir(parents=True, exist_ok=True)
    mun_path, region_path = work / "base-mun.sqlite", work / "base-region.sqlite"
    for p in work.glob("base-*"):
        p.unlink()
    src = sqlite3.connect(source)
    dest = sqlite3.connect(mun_path)
    src.backup(dest)
    dest.close()
    src.close()
    if region_template is not None:
        shutil.copy(region_template, region_path)
    mun, _ = open_database(str(mun_path))
    region, _ = open_database(str(region_path))
    try:
        init_installation(mun, "municipal", "46-231", "ММЦ Курского района")
        init_installation(region, "region", "46", "Региональный центр")
        write_keycard(mun, work / "mun.card")
        region_card = write_keycard(region, work / "region.card")
        trust(mun, work / "region.card")
        trust(region, work / "mun.card")
        result = export_delta(mun, work / "first.msp")
    finally:
        close_database(mun)
        close_database(region)
    manifest = {t: c["records"] for t, c in result.counts.items() if c["records"]}
    return SyncSetup(region_path, work / "first.msp", manifest, _table_counts(region_path, manifest),
                     bytes.fromhex(region_card["sign_key"]), data_dir())


def _receipt_state(work: Path, setup: SyncSetup) -> str:
    from app.sync.envelope import read_file, verify
    from app.sync.errors import SyncError

    receipt = work / RECEIPT
    if not receipt.exists():
        return "missing"
    try:
        header = verify(read_file(receipt), receipt.name, setup.region_sign_key).header
    except SyncError as exc:
        return f"broken: {exc}"
    return "ok" if header.get("kind") == "receipt" else f"broken: kind {header.get('kind')}"


def sync_scenario(setup: SyncSetup) -> Scenario:
    def outcome(db: Path, work: Path, before: dict) -> str:
        now = _table_counts(db, setup.manifest)
        added = {t: now[t] - setup.region_base[t] for t in setup.manifest}
        con = sqlite3.connect(db)
        try:
            logged = con.execute("SELECT count(*) FROM sync_package WHERE direction = 'in'").fetchone()[0]
        finally:
            con.close()
        receipt = _receipt_state(work, setup)
        if receipt.startswith("broken"):
            return f"torn: receipt {receipt}"
        if not any(added.values()) and logged == 0:
            return "absent" if receipt == "missing" else "torn: a receipt for a package not applied"
        if added == setup.manifest and logged == 1:
            # The receipt is written after the commit: a kill in between leaves the import without it
            # (importing the package again says «уже был загружен» and writes the receipt).
            return "applied" if receipt == "ok" else "applied (receipt not yet written)"
        wrong = {t: f"{added[t]} of {n}" for t, n in setup.manifest.items() if added[t] != n}
        return f"torn: logged {logged}, {json.dumps(wrong, ensure_ascii=False)[:200]}"

    return Scenario("sync", lambda db, work: ["sync", "import", str(setup.package),
                                               "--receipt-out", str(work / RECEIPT)], outcome,
                    data_dir=setup.data_dir)


def _read_report(path: Path) -> int:
    """Rows of the workbook's sheet, or pages of the PDF; raises on a broken file."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path), strict=True)
        pages = len(reader.pages)
        if not reader.pages[-1].extract_text().strip():
            raise ValueError("the last page has no text")
        return pages
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in wb.active.iter_rows())
    finally:
        wb.close()


def prepare_report(work: Path, db: Path, report: str, suffix: str) -> int:
    """An undisturbed run of the report on a copy of ``db``: the size every complete file has."""
    from app.cli import main

    work.mkdir(parents=True, exist_ok=True)
    copy = work / f"base-report{suffix}.sqlite"
    shutil.copy(db, copy)
    out = work / f"reference-{report}{suffix}"
    assert main(["--db", str(copy), "report", report, "--out", str(out)]) == 0
    return _read_report(out)


def report_scenario(report: str, suffix: str, reference: int) -> Scenario:
    target = f"probe-report{suffix}"
    unit = "pages" if suffix == ".pdf" else "rows"

    def outcome(db: Path, work: Path, before: dict) -> str:
        path = work / target
        if not path.exists():
            return "absent"
        try:
            got = _read_report(path)
        except Exception as exc:  # noqa: BLE001 - a broken file under the real name is what we look for
            return f"torn: {type(exc).__name__}: {exc}"[:200]
        return "applied" if got == reference else f"torn: {got} of {reference} {unit}"

    return Scenario(f"report{suffix}", lambda db, work: ["report", report, "--out", str(work / target)], outcome)
