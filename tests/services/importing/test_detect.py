"""Finding the header row and the meaning of the columns; the plan the user edits."""
from __future__ import annotations

import pytest
from openpyxl import Workbook

from app.services.common.errors import ServiceError
from app.services.importing.spreadsheet_import import (
    CONSENT, FIO, ORGANIZATION, ORGANIZATION_INN, ORGANIZATIONS, TEACHERS, detect, guess_kind, guess_mapping,
    targets,
)


def test_detect_finds_the_header_below_the_title_rows(teachers_xlsx):
    plan = detect(teachers_xlsx, TEACHERS)
    assert plan.sheet == "Педагоги" and plan.sheets == ["Пояснения", "Педагоги"]
    assert plan.header_row == 4
    assert plan.first_data_row == 6                      # the row of column numbers (5) is not data
    assert plan.mapping == {
        1: None, 2: FIO, 3: "birth_date", 4: "snils", 5: ORGANIZATION, 6: ORGANIZATION_INN, 7: "position",
        8: "subjects", 9: "qualification_category", 10: "email", 11: "phone", 12: CONSENT}
    assert plan.headers[2] == "Ф.И.О. педагога"
    assert plan.column_label(4) == "D (СНИЛС)"
    assert plan.warnings == [] and plan.problems() == []
    first = plan.preview[0]
    assert first.number == 6
    assert first.cells[:6] == ["1", "Иванова Анна Петровна", "12.03.1985", "112-233-445 95", "МБОУ «СОШ № 1»",
                               "7707083893"]
    assert [p.number for p in plan.preview][:8] == [6, 7, 9, 10, 11, 12, 13, 14]


def test_a_two_row_header_with_merged_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Сведения о педагогах"
    ws.merge_cells("A1:E1")
    ws["A2"], ws["B2"], ws["E2"] = "№", "ФИО", "Дата рождения"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:D2")                           # «ФИО» over three columns
    ws.merge_cells("E2:E3")
    ws["B3"], ws["C3"], ws["D3"] = "Фамилия", "Имя", "Отчество"
    ws.append([1, "Иванова", "Анна", "Петровна", "12.03.1985"])
    path = tmp_path / "двухъярусный.xlsx"
    wb.save(path)
    plan = detect(path, TEACHERS)
    assert plan.header_row == 3
    assert plan.mapping == {1: None, 2: "last_name", 3: "first_name", 4: "middle_name", 5: "birth_date"}
    assert plan.first_data_row == 4
    assert plan.preview[0].cells == ["1", "Иванова", "Анна", "Петровна", "12.03.1985"]


def test_the_user_changes_the_mapping_and_the_header_row(teachers_xlsx):
    plan = detect(teachers_xlsx, TEACHERS)
    plan.set_target(1, "notes")
    plan.set_target(7, "subjects")                      # a target belongs to one column: H loses it
    assert plan.mapping[1] == "notes" and plan.mapping[7] == "subjects" and plan.mapping[8] is None
    plan.set_target(2, None)
    assert plan.problems() == ["Не указан столбец с ФИО: нужен столбец «ФИО» или столбцы «Фамилия» и «Имя»."]
    with pytest.raises(ServiceError, match="Неизвестное поле"):
        plan.set_target(3, "salary")
    with pytest.raises(ServiceError, match="нет столбца"):
        plan.set_target(40, "notes")
    other = detect(teachers_xlsx, TEACHERS, header_row=9)
    assert other.header_row == 9 and other.first_data_row == 10
    assert other.mapping[2] is None                     # «Иванова Анна Петровна» names no field
    assert other.problems()


def test_no_recognisable_header_is_a_warning(tmp_path):
    wb = Workbook()
    wb.active.append(["Иванов Иван", "учитель"])
    path = tmp_path / "без заголовка.xlsx"
    wb.save(path)
    plan = detect(path, TEACHERS)
    assert plan.header_row == 1
    assert any("Не удалось найти строку" in w for w in plan.warnings)
    assert any("ФИО" in w for w in plan.warnings)


def test_an_empty_sheet(tmp_path):
    wb = Workbook()
    path = tmp_path / "пусто.xlsx"
    wb.save(path)
    with pytest.raises(ServiceError, match="Не удалось прочитать файл «пусто.xlsx»: файл пуст"):
        detect(path, TEACHERS)


@pytest.mark.parametrize("header, target", [
    ("ФИО", FIO), ("Ф.И.О. педагога", FIO), ("Фамилия, имя, отчество", FIO), ("ФИО работника (полностью)", FIO),
    ("Фамилия", "last_name"), ("Имя", "first_name"), ("Отчество (при наличии)", "middle_name"),
    ("Дата рождения", "birth_date"), ("Дата рождения\n(дд.мм.гггг)", "birth_date"),
    ("СНИЛС", "snils"), ("Страховой номер (СНИЛС)", "snils"), ("E-mail", "email"), ("Эл. почта", "email"),
    ("Электронная почта", "email"), ("Телефон", "phone"), ("Должность", "position"), ("Предмет(ы)", "subjects"),
    ("Преподаваемые предметы", "subjects"), ("Квалификационная категория", "qualification_category"),
    ("Категория", "qualification_category"), ("Педагогический стаж с", "career_start"),
    ("Дата приёма", "hired_on"), ("Организация", ORGANIZATION), ("ОО", ORGANIZATION),
    ("Образовательная организация", ORGANIZATION), ("Место работы", ORGANIZATION),
    ("ИНН организации", ORGANIZATION_INN), ("Согласие на обработку ПДн", CONSENT),
    ("Срок действия категории", "category_until"), ("ИНН", None), ("Стаж", None), ("№ п/п", None),
])
def test_teacher_column_names(header, target):
    assert guess_mapping(TEACHERS, {1: header}) == {1: target}


@pytest.mark.parametrize("header, target", [
    ("Полное наименование", "full_name"), ("Наименование", "full_name"), ("Краткое наименование", "short_name"),
    ("Тип", "kind"), ("ИНН", "inn"), ("КПП", "kpp"), ("ИНН/КПП", "inn_kpp"), ("ОГРН", "ogrn"),
    ("Адрес", "address"), ("Юридический адрес", "address"), ("Телефон", "phone"), ("E-mail", "email"),
    ("Сайт", "website"), ("Руководитель", "head_name"), ("Директор", "head_name"),
])
def test_organization_column_names(header, target):
    assert guess_mapping(ORGANIZATIONS, {1: header}) == {1: target}


def test_each_target_goes_to_the_column_that_names_it_best():
    mapping = guess_mapping(TEACHERS, {1: "Организация (место работы)", 2: "ОО", 3: "Адрес организации"})
    assert list(mapping.values()).count(ORGANIZATION) == 1
    assert mapping[2] == ORGANIZATION


def test_targets_offer_russian_labels():
    labels = dict(targets(TEACHERS))
    assert labels[FIO] == "ФИО (одной строкой)" and labels["snils"] == "СНИЛС"
    assert dict(targets(ORGANIZATIONS))["full_name"] == "Полное наименование"
    with pytest.raises(ServiceError):
        targets("pupils")


@pytest.mark.parametrize("name, kind", [
    ("МБДОУ «Детский сад № 5»", "kindergarten"), ("Детский сад «Солнышко»", "kindergarten"),
    ("Муниципальное бюджетное дошкольное образовательное учреждение № 7", "kindergarten"),
    ("МБОУ «СОШ № 1»", "school"), ("МАОУ «Лицей № 2»", "school"), ("Гимназия № 3", "school"),
    ("МАУ ДО «Дом детского творчества»", "additional"), ("МБУДО ЦДТ", "additional"), ("ДДТ", "additional"),
    ("МБУ ДО «Детская школа искусств»", "additional"), ("ГБПОУ «Энский педагогический колледж»", "college"),
    ("Техникум связи", "college"), ("МБОУ № 5", "school"), ("СОШ с дошкольными группами", "school"),
])
def test_organization_kind_from_the_name(name, kind):
    assert guess_kind(name) == kind
