"""Fixtures of the import tests: a database with the school the spreadsheets name."""
from __future__ import annotations

import pytest

from tests.services.importing.builders import SCHOOL_INN, teachers_workbook

SCHOOL_FULL_NAME = ("Муниципальное бюджетное общеобразовательное учреждение "
                    "«Средняя общеобразовательная школа № 1»")


@pytest.fixture
def school(records) -> dict:
    return records.create("organizations", {
        "full_name": SCHOOL_FULL_NAME, "short_name": "МБОУ СОШ № 1", "kind": "school", "inn": SCHOOL_INN})


@pytest.fixture
def teachers_xlsx(tmp_path):
    return teachers_workbook(tmp_path / "педагоги.xlsx")
