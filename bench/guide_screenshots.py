"""Regenerates the pictures of the user guide, docs/guide/img, from the real program at 1366×768.

    .venv/bin/python bench/guide_screenshots.py [--out ПАПКА]

Builds a demo database in a temporary folder, opens the main window on a
simulated 1366×768 screen (offscreen Qt, a process of its own) and drives it to
every state that tests/ui/shell/guide_shots.SHOTS names; the pictures replace
those in docs/guide/img (or go to --out), and a picture the generator no longer
makes is removed from there. tests/ui/shell/test_guide.py makes the same
pictures into a temporary folder and checks them and the pages that show them.
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
    parser.add_argument("--out", type=Path, default=None, help="куда сохранить рисунки (по умолчанию docs/guide/img)")
    args = parser.parse_args()
    from tests.ui.shell.guide_shots import GUIDE, SHOTS, generate

    target = args.out or GUIDE / "img"
    # The picture of the help window shows a guide page with its picture: it needs the pictures in place.
    rounds = 1 if all((GUIDE / "img" / f"{s.name}.png").is_file() for s in SHOTS) or args.out else 2
    for _ in range(rounds):
        work = Path(tempfile.mkdtemp(prefix="metodset-guide-"))
        try:
            report = generate(work / "img", work / "data")   # ASCII: Qt reads the screen file's path as Latin-1
            target.mkdir(parents=True, exist_ok=True)
            made = {f"{s.name}.png" for s in SHOTS}
            for old in target.glob("*.png"):
                if old.name not in made:
                    old.unlink()
                    print(f"удалён {old.name}: генератор его больше не делает")
            for shot in SHOTS:
                shutil.copy2(work / "img" / f"{shot.name}.png", target / f"{shot.name}.png")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    for shot in SHOTS:
        print(f"{shot.name}.png  {shot.page:24} {report[shot.name]['seen'].splitlines()[0][:70]}")
    print(f"Рисунки ({len(SHOTS)}): {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
