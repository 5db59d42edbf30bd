"""The record form (the longest: a teacher's) and the event card open inside a 1366×768 screen with a taskbar."""
from __future__ import annotations

import pytest

from tests.ui.shell.screen_probe import make_demo_database, misfits, probe_dialogs


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, _template_db):
    return make_demo_database(tmp_path_factory.mktemp("form-screens") / "demo.sqlite", _template_db)


def test_the_teacher_form_and_the_event_card_fit_an_office_screen(demo_db, tmp_path):
    reports = probe_dialogs(demo_db, "teacherForm,eventCard", 1366, 768, tmp_path)
    for name, report in reports.items():
        assert not misfits(report, 1366, 768), (name, report)
