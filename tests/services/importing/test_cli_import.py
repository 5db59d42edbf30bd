"""`import teachers|organizations FILE [--report OUT.xlsx] [--all-or-nothing]` and its exit codes."""
from __future__ import annotations

import argparse
import io

from openpyxl import load_workbook

from app.cli.importing import add_import_parser, cmd_import
from tests.services.importing.builders import organizations_workbook


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="metodset")
    add_import_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["import", *argv])


def _run(db, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cmd_import(_parse(*argv), db, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_import_teachers_with_a_report(db, school, teachers_xlsx, tmp_path):
    report = tmp_path / "отчёт.xlsx"
    code, out, err = _run(db, "teachers", str(teachers_xlsx), "--report", str(report))
    assert code == 0
    assert "Создано: 4; обновлено: 0; без изменений: 0; отклонено строк: 4." in out
    assert "Созданы организации (2): МБДОУ «Детский сад № 5»" in out
    assert f"Отчёт сохранён: {report}" in out
    lines = err.splitlines()
    assert lines[0].startswith("Строка 10, столбец D (СНИЛС): ")
    assert [line.split(",")[0] for line in lines] == ["Строка 10", "Строка 11", "Строка 12", "Строка 14"]
    rows = list(load_workbook(report)["Отклонённые строки"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [10, 11, 12, 14]

    # The same file again: nothing new, nothing committed → 1.
    code, out, _ = _run(db, "teachers", str(teachers_xlsx))
    assert code == 1
    assert "без изменений: 4" in out and "ничего не записано" in out


def test_all_or_nothing_exits_1_and_writes_nothing(db, school, teachers_xlsx, records):
    code, out, err = _run(db, "teachers", str(teachers_xlsx), "--all-or-nothing")
    assert code == 1
    assert "всё или ничего" in out and "Строка 10" in err
    assert records.count("teachers") == 0


def test_import_organizations_and_a_sheet_by_name(db, tmp_path, records):
    path = organizations_workbook(tmp_path / "реестр.xlsx")
    code, out, _ = _run(db, "organizations", str(path), "--sheet", "Организации")
    assert code == 0 and "Создано: 4" in out
    assert records.count("organizations") == 4
    code, _, err = _run(db, "organizations", str(path), "--sheet", "Лист9")
    assert code == 1 and "нет листа «Лист9»" in err


def test_an_unreadable_file_or_an_unknown_layout_exits_1(db, tmp_path):
    broken = tmp_path / "сломан.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _, err = _run(db, "teachers", str(broken))
    assert code == 1 and err.startswith("Ошибка: Не удалось прочитать файл «сломан.xlsx»")
    odd = tmp_path / "странный.csv"
    odd.write_text("Колонка1;Колонка2\nа;б\n", encoding="utf-8")
    code, _, err = _run(db, "teachers", str(odd))
    assert code == 1 and "Не указан столбец с ФИО" in err


def test_a_report_that_cannot_be_saved_keeps_the_committed_import_and_its_exit_code(db, school, teachers_xlsx,
                                                                                     tmp_path):
    blocker = tmp_path / "не папка"
    blocker.write_text("файл на месте папки", encoding="utf-8")
    code, out, err = _run(db, "teachers", str(teachers_xlsx), "--report", str(blocker / "отчёт.xlsx"))
    assert code == 0 and "Создано: 4" in out
    assert "Импорт выполнен, но отчёт не сохранён: Не удалось сохранить" in err
    assert "Traceback" not in err and not list(tmp_path.glob(".~*"))


def test_a_duplicated_header_is_reported_not_resolved_silently(db, school, tmp_path):
    from tests.services.importing.builders import write_csv

    path = write_csv(tmp_path / "дубль.csv", [["Фамилия", "Имя", "Фамилия"], ["Иванова", "Анна", "Петрова"]],
                     "utf-8")
    code, out, err = _run(db, "teachers", str(path))
    assert code == 1
    assert "Столбец «Фамилия» встречается несколько раз: A и C" in err


def test_empty_csv_and_empty_xlsx_get_the_same_message(db, tmp_path):
    from openpyxl import Workbook

    (tmp_path / "пусто.csv").write_bytes(b"")
    Workbook().save(tmp_path / "пусто.xlsx")
    (tmp_path / "ноль.xlsx").write_bytes(b"")
    messages = []
    for name in ("пусто.csv", "пусто.xlsx", "ноль.xlsx"):
        code, _, err = _run(db, "teachers", str(tmp_path / name))
        assert code == 1
        messages.append(err.replace(name, "ФАЙЛ").strip())
    assert messages[0] == messages[1] == messages[2], messages
    assert "пуст" in messages[0]
