"""Makes the small databases of this release that the upgrade test keeps: tests/data/release-<version>-*.sqlite.

    .venv/bin/python tools/make_release_db.py

Run it once per release, before the release's first migration changes anything
(commit the file beside the earlier ones; never regenerate an old one). The test
in tests/storage/test_release_upgrades.py upgrades every such file with the
migrations of every later revision and checks that each table keeps its rows.

Two databases: a municipality's demo network (100 teachers) and the region that
took its first package. What a demo leaves empty is filled by the services
themselves (accounts, attached files, partners, the package ledger), so that
every table a migration may touch has rows in one of them.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(folder: Path, release: str) -> dict[Path, dict[str, int]]:
    """A municipality's and a region's database of this release in ``folder``; rows per table of each."""
    with tempfile.TemporaryDirectory(prefix="metodset-release-") as work_dir:
        work = Path(work_dir)
        os.environ["METODSET_DATA_DIR"] = str(work / "data")     # keys and backups stay out of the user's
        from app.services.accounts.accounts import create_demo_accounts
        from app.services.common.bootstrap import close_database, open_database
        from app.services.demo.generator import generate_demo
        from app.services.events.files import attach_file
        from app.services.materials.save import attach_files
        from app.services.registry.service import RecordService
        from app.sync.exchange import export_delta, import_package, init_installation, trust, write_keycard

        mun, _ = open_database(str(work / "municipal.sqlite"))
        region, _ = open_database(str(work / "region.sqlite"))
        init_installation(mun, "municipal", "46-231", "ММЦ Щёлковского городского округа")
        init_installation(region, "region", "46", "Региональный методический центр")
        generate_demo(mun, 100, seed=17)
        create_demo_accounts(mun)
        create_demo_accounts(region)
        note = work / "Протокол семинара.txt"
        note.write_text("Протокол заседания сетевого семинара.", encoding="utf-8")
        service = RecordService(mun)
        attach_file(mun, None, service.list("events", limit=1).rows[0]["id"], note)
        attach_files(service, service.list("materials", limit=1).rows[0]["id"], [note])
        for a, b in ((mun, region), (region, mun)):
            write_keycard(a, work / "card.json")
            trust(b, work / "card.json")
        export_delta(mun, work / "first.package", to="46")
        import_package(region, work / "first.package")
        export_delta(mun, work / "figures.package", to="46", personal_data="aggregates")
        import_package(region, work / "figures.package")
        # A teacher who also works in a second municipality: the region keeps one person for both.
        other, _ = open_database(str(work / "other.sqlite"))
        init_installation(other, "municipal", "46-232", "ММЦ соседнего округа")
        generate_demo(other, 100, seed=18)
        shared = next(t for t in service.list("teachers", limit=50).rows if t.get("snils"))
        colleague = RecordService(other).list("teachers", limit=1).rows[0]
        RecordService(other).update("teachers", colleague["id"], {
            "snils": shared["snils"], "last_name": shared["last_name"], "first_name": shared["first_name"],
            "middle_name": shared.get("middle_name") or ""})
        for a, b in ((other, region), (region, other)):
            write_keycard(a, work / "card.json")
            trust(b, work / "card.json")
        export_delta(other, work / "other.package", to="46")
        import_package(region, work / "other.package")
        close_database(other)
        made = {}
        for db, name in ((mun, "municipal"), (region, "region")):
            source = db.path
            close_database(db)
            out = folder / f"release-{release}-{name}.sqlite"
            con = sqlite3.connect(source)
            con.execute("VACUUM INTO ?", (str(out),))
            con.close()
            made[out] = _counts(out)
    return made


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    con.close()
    return counts


def main() -> int:
    from app.release import version

    folder = ROOT / "tests" / "data"
    existing = sorted(folder.glob(f"release-{version()}-*.sqlite"))
    if existing:
        print(f"{existing[0]} уже есть: базы выпуска не пересоздаются (тест сравнивает с ними обновления).",
              file=sys.stderr)
        return 1
    for out, counts in build(folder, version()).items():
        empty = [t for t, n in counts.items() if n == 0]
        print(f"{out.name}: {out.stat().st_size // 1024} КБ, таблиц {len(counts)}, пустых {len(empty)}: "
              f"{', '.join(empty) or 'нет'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
