"""Every dialog opens inside an office screen with a taskbar — 1366×768 and 1920×1080, at 100 % and at Windows'
150 % (1280×720 and 911×512 logical pixels) — with nothing sticking out, no header cut and no button or label
clipped. Where the screen is smaller than a dialog's least size the dialog scrolls (messages.ScrollWhenTooLarge),
never sideways past the screen."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ui.shell import dialog_catalogue
from tests.ui.shell.screen_probe import DIALOGS, misfits, probe_dialogs

APP_UI = Path(__file__).resolve().parents[3] / "app" / "ui"


def test_the_catalogue_names_every_dialog_of_the_program():
    declared = set()
    for path in APP_UI.rglob("*.py"):
        declared |= set(re.findall(r"^class (\w+(?:Dialog|Wizard))\(", path.read_text(encoding="utf-8"), re.M))
    missing = declared - set(dialog_catalogue.names()) - dialog_catalogue.NOT_HERE
    assert not missing, f"dialogs no screen test opens: {sorted(missing)} (tests/ui/shell/dialog_catalogue.py)"


def _problems(reports: dict, width: int, height: int) -> dict[str, list[str]]:
    """By dialog: what sticks out of the logical screen, and what is outside, elided or clipped on a page."""
    problems = {}
    for name, report in reports.items():
        found = misfits(report, width, height)
        for page, seen in report["pages"].items():
            found += [f"{page}: {what} {seen[what][:3]}" for what in ("outside", "elided", "clipped") if seen[what]]
        if found:
            problems[name] = found
    return problems


@pytest.mark.parametrize("width, height, scale", [(1366, 768, 1.0), (1920, 1080, 1.0), (1920, 1080, 1.5),
                                                  (1366, 768, 1.5)])
def test_every_dialog_fits_the_screen(screen_demo_db, tmp_path, width, height, scale):
    reports = probe_dialogs(screen_demo_db, ",".join(dialog_catalogue.names()), width, height, tmp_path,
                            scale=scale)
    problems = _problems(reports, round(width / scale), round(height / scale))
    assert not problems, problems


@pytest.mark.parametrize("width, height, scale", [(1920, 1080, 1.5), (1366, 768, 1.5)])
def test_the_cards_and_forms_with_demo_rows_fit_at_150_percent(screen_demo_db, tmp_path, width, height, scale):
    """The probe's own cases — a teacher card and form, an event card and «Маршруты для группы» over real
    demo rows — at 150 %; tests/ui/registry and tests/ui/development check them at 100 %."""
    reports = probe_dialogs(screen_demo_db, ",".join(DIALOGS), width, height, tmp_path, scale=scale)
    problems = _problems(reports, round(width / scale), round(height / scale))
    assert sorted(reports) == sorted(DIALOGS)
    assert not problems, problems
