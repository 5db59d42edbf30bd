"""«Маршруты для группы…» on an office monitor (1366×768 with a taskbar) and a large one (1920×1080).

Over the teachers of a demo school, with a template of one item of each kind:
the dialog and its smallest size fit the available screen with the frame,
no column header is cut, nothing sticks out, no button or label is clipped.
"""
from __future__ import annotations

import pytest

from tests.ui.shell.screen_probe import misfits, probe_dialogs


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_the_group_dialog_fits_the_screen_with_whole_headers(screen_demo_db, tmp_path, width, height):
    report = probe_dialogs(screen_demo_db, "groupRoutes", width, height, tmp_path, tmp_path / "shots")["groupRoutes"]
    assert not misfits(report, width, height), report
    bad = {page: {k: v for k, v in found.items() if v} for page, found in report["pages"].items() if any(found.values())}
    assert not bad, bad
    assert list((tmp_path / "shots").glob("groupRoutes-*.png"))
