"""The main window on an office monitor (1366×768) and a large one (1920×1080), each in its own process.

Every section is visited: the window lies inside the screen, no widget sticks
out of it, no column header is cut at its default width. Screenshots go to
a temporary folder here; ``bench/screenshots.py`` keeps them for a reviewer.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.shell.screen_probe import screen_environment

ROOT = Path(__file__).resolve().parents[3]


def probe(db_path: Path, width: int, height: int, work: Path, shots: Path | None = None, scale: float = 1.0) -> dict:
    """Runs tests/ui/shell/screen_probe.py on a simulated screen; its JSON report."""
    env = screen_environment(work, width, height, scale)
    args = [sys.executable, "-m", "tests.ui.shell.screen_probe", str(db_path)] + ([str(shots)] if shots else [])
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("width, height, scale", [(1366, 768, 1.0), (1920, 1080, 1.0), (1920, 1080, 1.5),
                                                  (1366, 768, 1.5)])
def test_every_section_fits_the_screen_with_whole_headers(screen_demo_db, tmp_path, width, height, scale):
    report = probe(screen_demo_db, width, height, tmp_path, tmp_path / "shots", scale)
    width, height = round(width / scale), round(height / scale)        # what the window sees
    assert report["screen"] == [width, height]
    assert report["inside"], report["frame"]
    x, y, w, h = report["frame"]
    assert w <= width and h <= height
    assert len(report["sections"]) >= 10
    bad = {key: s for key, s in report["sections"].items() if s["outside"] or s["elided"] or s["clipped"]}
    assert not bad, bad
    assert not report["sidebar"], report["sidebar"]
    if width >= 1280:
        # Down to 1280×720 logical pixels every page fits whole; below (1366×768 at 150 %) a tall page scrolls.
        assert not [key for key, s in report["sections"].items() if s["scrolls"]]
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert len(shots) == len(report["sections"]) and all(f"{width}x{height}" in n for n in shots)
