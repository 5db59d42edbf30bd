"""Screenshots of every section of the main window at 1366×768 and 1920×1080, for a reviewer to look at.

    .venv/bin/python bench/screenshots.py [--out ПАПКА] [--teachers N]

Builds a demo database in a temporary folder, opens the window on a simulated
screen of each size (offscreen Qt) and saves one PNG per section into the
folder (default: a new temporary folder, printed at the end; never the
repository). It also prints what the GUI test checks: widgets outside the
window, column headers cut at their default width.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--teachers", type=int, default=2000)
    args = parser.parse_args()
    from app.services.accounts.accounts import create_demo_accounts
    from app.services.common.bootstrap import open_database
    from app.services.demo.generator import generate_demo
    from tests.ui.shell.test_screens import probe

    work = Path(tempfile.mkdtemp(prefix="metodset-screens-"))
    out = args.out or work / "shots"
    try:
        db, _ = open_database(str(work / "demo.sqlite"))
        generate_demo(db, args.teachers)
        create_demo_accounts(db)
        db.dispose()
        for width, height in ((1366, 768), (1920, 1080)):
            report = probe(work / "demo.sqlite", width, height, work, out)
            print(f"{width}×{height}: окно {report['frame']}, внутри экрана: {'да' if report['inside'] else 'НЕТ'}")
            for key, section in report["sections"].items():
                if section["outside"] or section["elided"]:
                    print(f"  {key}: за краем {section['outside']}, обрезаны заголовки {section['elided']}")
    finally:
        if args.out is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Снимки: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
