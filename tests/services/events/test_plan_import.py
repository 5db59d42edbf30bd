"""The year plan: import from a spreadsheet with a row-level report, export, and a round trip that changes nothing."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from app.export.events_plan_xlsx import export_plan
from app.export.import_report import write_report
from app.services.events import events as ev
from app.services.common.actor import Actor
from app.services.importing.spreadsheet_import import import_plan_file
from tests.services.events.conftest import event_values

ACTOR = Actor("tester")
HEADER = ["№", "Название", "Вид", "Форма", "Дата начала", "Дата окончания", "Организаторы", "Место/ссылка",
          "Аудитория", "Сообщество"]


def _plan_file(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "План"
    ws.append(["План образовательных событий на 2025/2026 учебный год"])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _rows():
    return [
        [1, "Семинар «Смысловое чтение»", "семинар", "очно", datetime(2025, 9, 24), None,
         "ИМЦ; 500100732259", "ИМЦ, ауд. 12", "учителя начальных классов", "РМО учителей математики"],
        [2, "Вебинар по ФОП", "Вебинар", "онлайн", "15.10.2025", "", "7707083893",
         "https://vk.com/imc", "заместители директоров", ""],
        [3, "Мастер-класс без даты", "мастер-класс", "очно", "", "", "ИМЦ", "Школа № 5", "", ""],
        [4, "Конкурс «Учитель года»", "конкурс", "очно", "01.02.2026", "31.01.2026", "Неизвестная школа", "", "", ""],
        [5, "Заседание РМО математиков", "", "очно-дистанционно", "20.11.2025", "", "ИМЦ", "", "", "Нет такого"],
        [6, "Семинар «Смысловое чтение»", "семинар", "очно", "24.09.2025", "", "ИМЦ", "", "", ""],
    ]


def test_the_plan_is_imported_with_a_report_of_rejected_rows_and_reimport_changes_nothing(db, records, net, tmp_path):
    path = _plan_file(tmp_path / "plan.xlsx", _rows())
    result = import_plan_file(db, path, year=2025, actor=ACTOR)
    assert result.committed and (result.created, result.updated) == (2, 0)
    reasons = {(r.row_number, r.column.split(" ")[0]): r.reason for r in result.rejected}
    assert "обязательное поле" in reasons[(6, "E")]
    assert "организация «Неизвестная школа» не найдена" in reasons[(7, "G")]
    assert "не может быть раньше" in " ".join(r.reason for r in result.rejected if r.row_number == 7)
    assert "сообщество «Нет такого» не найдено" in reasons[(8, "J")]
    assert "что в строке 4" in reasons[(9, "B")]
    assert result.rejected_rows == 4

    seminar, webinar = records.list("events").rows
    seminar, webinar = records.get("events", seminar["id"]), records.get("events", webinar["id"])
    assert (seminar["kind"], seminar["format"], seminar["starts_on"]) == ("seminar", "in_person", date(2025, 9, 24))
    assert (seminar["venue"], seminar["plan_year"], seminar["community_id"]) == ("ИМЦ, ауд. 12", 2025,
                                                                                 net.community["id"])
    assert [n for _i, n in ev.organizer_names(db, seminar["id"])] == ["ИМЦ", "Школа № 5"]
    assert (webinar["format"], webinar["link"], webinar["venue"]) == ("remote", "https://vk.com/imc", "")
    assert ev.organizer_ids(db, webinar["id"]) == [net.centre["id"]]

    again = import_plan_file(db, path, year=2025, actor=ACTOR)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 2, False)
    assert records.count("events") == 2 and records.count("event_organizers") == 3

    report = write_report(result, tmp_path / "report.xlsx")
    ws = openpyxl.load_workbook(report)["Отклонённые строки"]
    cells = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert any(r[:3] == ["План", 7, "G (Организаторы)"] and "не найдена" in r[3] for r in cells), cells


def test_all_or_nothing_with_a_bad_row_writes_nothing(db, records, net, tmp_path):
    path = _plan_file(tmp_path / "plan.xlsx", _rows())
    result = import_plan_file(db, path, actor=ACTOR, all_or_nothing=True)
    assert not result.committed and result.created == 2
    assert records.count("events") == 0


def test_a_csv_plan_is_read_and_the_kind_is_taken_from_the_title(db, records, net, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Название;Дата;Организаторы;Часы\n"
                    "Педагогический марафон «Ступени»;05.11.2025;ИМЦ;8\n", encoding="cp1251")
    result = import_plan_file(db, path, actor=ACTOR)
    assert result.committed and result.created == 1, result.rejected
    row = records.list("events").rows[0]
    event = records.get("events", row["id"])
    assert (event["kind"], event["format"], event["hours"], event["plan_year"]) == ("marathon", "in_person", 8.0, 2025)


def test_an_exported_plan_reads_back_and_imports_as_unchanged(db, records, net, tmp_path):
    first = ev.create_event(db, ACTOR, event_values(plan_year=2025, audience="учителя", link="https://x.ru",
                                                    community_id=net.community["id"]),
                            [net.centre["id"], net.school["id"]])
    ev.create_event(db, ACTOR, event_values(title="Вебинар", kind="webinar", format="remote",
                                            starts_on=date(2026, 1, 20), plan_year=2025, hours=1.5))
    ev.create_event(db, ACTOR, event_values(title="Другой год", starts_on=date(2026, 3, 1)))
    path, n = export_plan(db, 2025, tmp_path / "план.xlsx")
    assert n == 2
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "План образовательных событий на 2025 год"
    assert [c.value for c in ws[3]][:5] == ["№", "Название", "Вид", "Форма", "Дата начала"]
    row = [c.value for c in ws[4]]
    assert row[1:4] == ["Семинар «Функциональная грамотность»", "Семинар", "Очно"]
    assert row[4].date() == date(2025, 3, 12) and row[6] == "ИМЦ; Школа № 5"
    assert row[10] == "РМО учителей математики" and row[12] == 2025
    assert [c.value for c in ws[5]][11] == 1.5

    result = import_plan_file(db, path, actor=ACTOR)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (0, 0, 2, [])
    assert records.get("events", first)["plan_year"] == 2025
