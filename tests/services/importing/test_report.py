"""The .xlsx report of an import, read back as the user would open it."""
from __future__ import annotations

from openpyxl import load_workbook

from app.export.import_report import REJECTED_SHEET, SUMMARY_SHEET, write_report
from app.services.importing.spreadsheet_import import TEACHERS, import_file
from tests.services.importing.builders import REJECTED


def _summary(ws) -> dict:
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value}


def test_the_report_lists_every_rejected_row(db, school, teachers_xlsx, tmp_path):
    result = import_file(db, teachers_xlsx, TEACHERS)
    out = write_report(result, tmp_path / "отчёт" / "импорт.xlsx")
    assert out == tmp_path / "отчёт" / "импорт.xlsx"
    assert sorted(p.name for p in out.parent.iterdir()) == ["импорт.xlsx"]      # no temporary file left
    wb = load_workbook(out)
    assert wb.sheetnames == [SUMMARY_SHEET, REJECTED_SHEET]

    summary = _summary(wb[SUMMARY_SHEET])
    assert summary["Файл"] == "педагоги.xlsx" and summary["Лист"] == "Педагоги"
    assert (summary["Создано"], summary["Обновлено"], summary["Без изменений"], summary["Отклонено строк"]) == \
        (4, 0, 0, 4)
    assert summary["Режим"] == "импорт правильных строк"
    assert summary["Результат"] == "Изменения записаны в базу данных."
    assert summary["Созданы организации (2)"] is None
    names = [wb[SUMMARY_SHEET].cell(r, 2).value for r in range(1, wb[SUMMARY_SHEET].max_row + 1)]
    assert "МБДОУ «Детский сад № 5»" in names

    ws = wb[REJECTED_SHEET]
    assert [c.value for c in ws[1]] == ["Лист", "Строка", "Столбец", "Причина"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[1], r[2]) for r in rows] == [("Педагоги", n, col) for n, (col, _) in sorted(REJECTED.items())]
    assert all(REJECTED[r[1]][1] in r[3] for r in rows)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D5"


def test_a_report_of_an_all_or_nothing_refusal(db, school, teachers_xlsx, tmp_path):
    result = import_file(db, teachers_xlsx, TEACHERS, all_or_nothing=True)
    out = write_report(result, tmp_path / "отказ")
    assert out.name == "отказ.xlsx"
    summary = _summary(load_workbook(out)[SUMMARY_SHEET])
    assert summary["Режим"] == "всё или ничего"
    assert "ничего не записано" in summary["Результат"]
    assert summary["Были бы созданы организации (2)"] is None
