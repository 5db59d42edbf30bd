"""Reports follow the roles: an expert builds none, full personal data only with the right to see it."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.services.access.permissions import EXPERT, METHODIST, OBSERVER, PermissionDenied
from app.export.report_files import save_report
from app.services.reports import ReportParams
from tests.security.conftest import as_role


def _snils_cells(path) -> list[str]:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    return [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str) and "-" in c
            and c.replace("-", "").replace(" ", "").replace("*", "").isdigit()]


def test_observer_gets_a_masked_report_and_is_refused_full_data(db, records, tmp_path):
    records.create("teachers", {"last_name": "Петрова", "first_name": "Анна", "snils": "112-233-445 95",
                                "career_start": "01.09.2003"})
    as_role(db, OBSERVER)
    out = tmp_path / "сроки.xlsx"
    save_report(db, "pk-due", ReportParams(), out)
    assert _snils_cells(out) == ["***-***-445 95"]
    with pytest.raises(PermissionDenied, match="без маскирования"):
        save_report(db, "pk-due", ReportParams(unmasked=True), tmp_path / "полный.xlsx")
    assert not (tmp_path / "полный.xlsx").exists()


def test_methodist_may_unmask_and_expert_gets_no_network_report(db, records, tmp_path):
    teacher = records.create("teachers", {"last_name": "Петрова", "first_name": "Анна", "snils": "112-233-445 95",
                                          "career_start": "01.09.2003"})
    as_role(db, METHODIST)
    out = tmp_path / "полный.xlsx"
    save_report(db, "pk-due", ReportParams(unmasked=True), out)
    assert _snils_cells(out) == ["112-233-445 95"]
    as_role(db, EXPERT, teacher_id=teacher["id"])
    with pytest.raises(PermissionDenied, match="Эксперт"):
        save_report(db, "pk-coverage", ReportParams(), tmp_path / "охват.xlsx")
