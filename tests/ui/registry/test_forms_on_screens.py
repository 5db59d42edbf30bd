"""The record form (the longest: a teacher's) and the event card open inside a 1366×768 screen with a taskbar."""
from __future__ import annotations

from tests.ui.shell.screen_probe import misfits, probe_dialogs


def test_the_teacher_form_and_the_event_card_fit_an_office_screen(screen_demo_db, tmp_path):
    reports = probe_dialogs(screen_demo_db, "teacherForm,eventCard", 1366, 768, tmp_path)
    for name, report in reports.items():
        assert not misfits(report, 1366, 768), (name, report)
