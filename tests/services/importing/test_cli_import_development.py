"""`import programmes FILE` and `import diagnostics FILE [--date] [--instrument]`: exit codes 0 and 1."""
from __future__ import annotations

import pytest

from tests.services.importing.builders import SNILS_IVANOVA
from tests.services.importing.builders_development import diagnostic_rows, diagnostics_workbook, programmes_workbook
from tests.services.importing.test_cli_import import _run


def test_import_programmes(db, school, tmp_path, records):
    path = programmes_workbook(tmp_path / "программы.xlsx")
    code, out, err = _run(db, "programmes", str(path))
    assert code == 0
    assert "Создано: 3; обновлено: 0; без изменений: 0; отклонено строк: 4." in out
    assert [line.split(",")[0] for line in err.splitlines()] == ["Строка 6", "Строка 7", "Строка 9", "Строка 10"]
    assert records.count("programmes") == 3
    code, out, _ = _run(db, "programmes", str(path))
    assert code == 1 and "без изменений: 3" in out


def test_import_programmes_all_or_nothing(db, school, tmp_path, records):
    code, out, _ = _run(db, "programmes", str(programmes_workbook(tmp_path / "п.xlsx")), "--all-or-nothing")
    assert code == 1 and "всё или ничего" in out
    assert records.count("programmes") == 0


@pytest.fixture
def teachers(records):
    records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                "snils": SNILS_IVANOVA})
    records.create("teachers", {"last_name": "Петров", "first_name": "Пётр", "middle_name": "Сергеевич"})


def test_import_diagnostics(db, teachers, tmp_path, records):
    path = diagnostics_workbook(tmp_path / "диагностика.xlsx", diagnostic_rows(SNILS_IVANOVA))
    code, _, err = _run(db, "diagnostics", str(path), "--date", "20.10.2025")
    assert code == 1 and "инструмент" in err
    code, _, err = _run(db, "diagnostics", str(path), "--date", "32.10.2025", "--instrument", "ЦНППМ")
    assert code == 1 and err.startswith("Ошибка: --date")
    code, out, err = _run(db, "diagnostics", str(path), "--date", "20.10.2025", "--instrument", "ЦНППМ")
    assert code == 0
    assert "Создано: 2; обновлено: 0; без изменений: 0; отклонено строк: 3." in out
    assert "Строка 6, столбец B (ФИО педагога): педагог «Неизвестный Иван Иванович» не найден" in err
    assert records.count("diagnostics") == 2 and records.count("diagnostic_results") == 5
    code, out, _ = _run(db, "diagnostics", str(path), "--date", "20.10.2025", "--instrument", "ЦНППМ")
    assert code == 1 and "без изменений: 2" in out
    assert records.count("diagnostics") == 2
