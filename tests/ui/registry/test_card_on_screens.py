"""The teacher card on an office monitor (1366×768 with a taskbar) and a large one (1920×1080).

A demo teacher with rows in every table: the card opens inside the available
screen, its frame included, and on each tab no column header and no short
value (a kind, a form, a date, a document) is cut, nothing sticks out, no
button or label is clipped and no table scrolls sideways.
"""
from __future__ import annotations

import pytest

from tests.ui.shell.screen_probe import misfits, probe_dialogs


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_the_card_fits_the_screen_and_shows_its_columns_whole(screen_demo_db, tmp_path, width, height):
    report = probe_dialogs(screen_demo_db, "teacherCard", width, height, tmp_path, tmp_path / "shots")["teacherCard"]
    assert not misfits(report, width, height), report
    assert len(report["pages"]) == 5
    bad = {page: {k: v for k, v in found.items() if v} for page, found in report["pages"].items() if any(found.values())}
    assert not bad, bad
    assert len(list((tmp_path / "shots").glob("teacherCard-*.png"))) == 5


def test_a_large_screen_gives_the_card_more_room_than_an_office_one(screen_demo_db, tmp_path):
    small = probe_dialogs(screen_demo_db, "teacherCard", 1366, 768, tmp_path / "small")["teacherCard"]
    large = probe_dialogs(screen_demo_db, "teacherCard", 1920, 1080, tmp_path / "large")["teacherCard"]
    assert small["size"][1] < large["size"][1] and small["size"][0] <= large["size"][0]
