"""Spreadsheets as other programs and people make them: 1С and ФИС ФРДО exports, «CSV (разделители —
точки с запятой)», instruction sheets, pasted control characters, the wrong keyboard layout."""
from __future__ import annotations

import dataclasses
import shutil
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app.export.import_report import write_report
from app.services.importing.spreadsheet_import import ORGANIZATIONS, TEACHERS, detect, import_file
from app.storage.models import Organization, Teacher
from tests.services.importing.builders import write_csv

HEADER = ["ФИО", "Дата рождения", "Квалификационная категория"]


def _workbook(path, rows, header=HEADER, *, above=0):
    wb = Workbook()
    ws = wb.active
    ws.title = "Педагоги"
    for i in range(above):
        ws.append([f"Строка пояснения {i + 1}"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _teachers(db) -> dict[str, Teacher]:
    with db.session() as s:
        return {t.last_name: t for t in s.scalars(select(Teacher).where(Teacher.deleted_at.is_(None)))}


def test_a_semicolon_csv_whose_addresses_hold_commas(db, tmp_path):
    path = write_csv(tmp_path / "организации.csv", [
        ["Полное наименование", "ИНН", "Адрес"],
        ["МБОУ СОШ № 70", "5050900006", "141100, Московская обл., г. Щёлково, ул. Ленина, д. 1"],
        ["МБОУ СОШ № 71", "5050900013", "141100, Московская обл., г. Щёлково, ул. Ленина, д. 2"],
    ], "cp1251")
    result = import_file(db, path, ORGANIZATIONS)
    assert result.created == 2 and result.rejected == []
    with db.session() as s:
        stored = {o.full_name: (o.inn, o.address) for o in s.scalars(select(Organization))}
    assert stored["МБОУ СОШ № 70"] == ("5050900006", "141100, Московская обл., г. Щёлково, ул. Ленина, д. 1")
    assert stored["МБОУ СОШ № 71"][0] == "5050900013"


def test_a_footer_word_in_a_data_row_does_not_end_the_table(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [
        ["Первов Антон Иванович", "01.01.1980", "высшая"],
        ["Молодцов Борис Иванович", "01.01.2000", "молодой специалист"],
        ["Последов Виктор Иванович", "01.01.1981", "первая"],
        ["Последова Анна Ивановна", "01.01.1982", "первая"],
        ["Директор ____________ И. И. Иванов"],
        ["Заметкин Олег Олегович", "01.01.1983", "первая"],
    ])
    result = import_file(db, path, TEACHERS)
    # Row 3 is a person with a category the list does not know: refused by name, not read as a signature.
    assert [(r.row_number, "молодой специалист" in r.reason) for r in result.rejected] == [(3, True)]
    assert set(_teachers(db)) == {"Первов", "Последов", "Последова"}
    assert [s.row_number for s in result.skipped] == [6]        # the signature, and nothing below it


def test_control_characters_are_not_stored_and_the_report_is_still_written(db, tmp_path):
    path = write_csv(tmp_path / "педагоги.csv", [
        ["ФИО", "Дата рождения", "Должность", "Предметы"],
        ["Нулев Иван Иванович", "01.01.1980", "учи\x08тель", "математика\x01"],
        ["Битов Олег Олегович", "01.01.1981\x01\x02", "учитель", ""],
        ["Плохов Олег Олегович", "31.02.1981\x03", "учитель", ""],
    ], "utf-8")
    result = import_file(db, path, TEACHERS)
    assert result.created == 2
    stored = _teachers(db)
    assert (stored["Нулев"].position, stored["Нулев"].subjects) == ("учитель", "математика")
    assert stored["Битов"].birth_date == date(1981, 1, 1)
    assert [r.row_number for r in result.rejected] == [4]

    # A reason that still holds one (a stored value quoted back) is written with a space for it.
    first = result.rejected[0]
    result.rejected[0] = dataclasses.replace(first, reason=first.reason + " «учи\x08тель»")
    report = write_report(result, tmp_path / "отчёт.xlsx")
    rejected = load_workbook(report)["Отклонённые строки"]
    reasons = [row[3] for row in rejected.iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 1 and "31.02.1981" in reasons[0] and reasons[0].endswith("«учи тель»")


def test_a_file_without_yo_does_not_overwrite_the_stored_spelling(db, tmp_path):
    first = _workbook(tmp_path / "1.xlsx", [["Ёжиков Семён Фёдорович", "01.02.1979", "первая"]],
                      header=["ФИО", "Дата рождения", "Категория"])
    assert import_file(db, first, TEACHERS).created == 1
    again = _workbook(tmp_path / "2.xlsx", [["Ежиков Семен Федорович", "01.02.1979", "высшая"]],
                      header=["ФИО", "Дата рождения", "Категория"])
    result = import_file(db, again, TEACHERS)
    assert (result.created, result.updated) == (0, 1)          # the category is new, the names are not
    stored = _teachers(db)["Ёжиков"]
    assert (stored.first_name, stored.middle_name, stored.qualification_category) == ("Семён", "Фёдорович",
                                                                                        "highest")


def test_categories_as_registries_word_them(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [
        ["Альфа Анна Ивановна", "01.01.1980", "Высшая квалификационная категория"],
        ["Бета Анна Ивановна", "01.01.1980", "первая квалификационная категория"],
        ["Гамма Анна Ивановна", "01.01.1980", "первая (приказ № 12 от 01.03.2023)"],
        ["Дельта Анна Ивановна", "01.01.1980", "вторая"],
    ])
    result = import_file(db, path, TEACHERS)
    assert {name: t.qualification_category for name, t in _teachers(db).items()} == {
        "Альфа": "highest", "Бета": "first", "Гамма": "first"}
    assert [r.row_number for r in result.rejected] == [5]


def test_the_data_sheet_is_found_behind_an_instructions_sheet(db, tmp_path):
    wb = Workbook()
    wb.active.title = "Инструкция"
    wb.active.append(["Заполните лист «Педагоги» и отправьте в ММЦ до 1 октября."])
    ws = wb.create_sheet("Педагоги")
    ws.append(HEADER)
    ws.append(["Листов Пётр Ильич", "03.03.1975", "первая"])
    path = tmp_path / "форма.xlsx"
    wb.save(path)
    plan = detect(path, TEACHERS)
    assert (plan.sheet, plan.header_row) == ("Педагоги", 1)
    assert import_file(db, path, TEACHERS).created == 1


def test_a_header_below_a_long_preamble(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Глубоков Илья Ильич", "04.04.1976", "первая"]], above=40)
    assert detect(path, TEACHERS).header_row == 41
    assert import_file(db, path, TEACHERS).created == 1


def test_latin_look_alike_letters_are_the_same_person(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [
        ["Лaтинская Мария Петровна", "05.05.1985", "первая"],         # a Latin «a»
        ["Латинская Мария Петровна", "05.05.1985", "первая"],
    ])
    result = import_file(db, path, TEACHERS)
    assert result.created == 1
    assert [r.row_number for r in result.rejected] == [3]          # the repeated row, named as such
    assert "Латинская" in _teachers(db)


def test_work_dates_before_the_age_of_fourteen_are_refused(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [
        ["Ранов Павел Павлович", "01.09.1980", "01.09.30"],
        ["Верный Павел Павлович", "01.09.1980", "01.09.2003"],
    ], header=["ФИО", "Дата рождения", "Дата приёма на работу"])
    result = import_file(db, path, TEACHERS)
    assert set(_teachers(db)) == {"Верный"}
    assert len(result.rejected) == 1
    assert "раньше, чем педагогу исполнилось 14 лет" in result.rejected[0].reason


def test_a_year_of_the_last_course_stands_for_its_last_day(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [["Годов Глеб Глебович", "01.01.1980", 2021],
                                           ["Годова Гала Глебовна", "01.01.1981", "2022 г."]],
                     header=["ФИО", "Дата рождения", "Год последних курсов"])
    assert import_file(db, path, TEACHERS).created == 2
    assert {n: t.last_pd_on for n, t in _teachers(db).items()} == {"Годов": date(2021, 12, 31),
                                                                   "Годова": date(2022, 12, 31)}


def test_a_workbook_with_the_wrong_extension_is_read_by_its_content(db, tmp_path):
    xlsx = _workbook(tmp_path / "t.xlsx", [["Расширенов Ян Янович", "06.06.1986", "первая"]])
    renamed = tmp_path / "выгрузка.xls"
    shutil.copy(xlsx, renamed)
    assert import_file(db, renamed, TEACHERS).created == 1


def test_a_signature_with_a_full_name_still_ends_the_table(db, tmp_path):
    path = _workbook(tmp_path / "t.xlsx", [
        [1, "Первов Антон Иванович", "01.01.1980", "учитель"],
        ["Директор школы", "Петрова Мария Сергеевна"],
        ["Исполнитель", "Сидорова Ольга Павловна"],
    ], header=["№", "ФИО", "Дата рождения", "Должность"])
    result = import_file(db, path, TEACHERS)
    assert set(_teachers(db)) == {"Первов"}
    assert [s.row_number for s in result.skipped] == [3]


def test_a_name_stored_with_a_latin_letter_is_found_again(db, records, tmp_path):
    with db.session() as s:      # as a release before the cleaning on input stored it
        s.add(Teacher(last_name="Oрлова", first_name="Аннa", middle_name="Петровна", birth_date=date(1980, 1, 1),
                      snils="112-233-445 95"))
    path = _workbook(tmp_path / "t.xlsx", [["Орлова Анна Петровна", "01.01.1980", "высшая"]])
    result = import_file(db, path, TEACHERS)
    assert (result.created, result.updated, result.rejected) == (0, 1, [])
    path = _workbook(tmp_path / "s.xlsx", [["Орлова Анна Петровна", "01.01.1980", "112-233-445 95"]],
                     header=["ФИО", "Дата рождения", "СНИЛС"])
    result = import_file(db, path, TEACHERS)
    assert result.rejected == [] and result.created == 0
