"""Spreadsheets as offices send them, built for the import tests.

``teachers_workbook`` is the main fixture: title rows above the header,
merged cells, ФИО in one column, dates as Excel dates and as text, СНИЛС with
and without separators and as a number that lost its leading zero, blank
rows, bad rows and a signature at the bottom. The row numbers below are the
sheet rows the tests expect in the reports.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from app.domain.validators import snils_checksum

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "import"


def snils(first9: str, *, canonical: bool = True) -> str:
    """A valid СНИЛС for nine digits: «123-456-789 01» or «12345678901»."""
    digits = first9 + f"{snils_checksum(first9):02d}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}" if canonical else digits


def inn10(first9: str) -> str:
    """A valid ИНН of an organisation for nine digits."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return first9 + str(sum(int(d) * w for d, w in zip(first9, weights)) % 11 % 10)


SCHOOL_INN = "7707083893"
DDT_INN = inn10("770812345")
SNILS_IVANOVA = "112-233-445 95"
SNILS_PETROV = snils("156789012")
SNILS_SIDOROVA = snils("012345678")            # stored as a number in Excel: the leading zero is lost
SNILS_VOLKOV = snils("234567890")
SNILS_SMIRNOVA = snils("345678901")
SNILS_KUZNETSOV_BAD = "123-456-789 00"

HEADER = ["№ п/п", "Ф.И.О. педагога", "Дата рождения", "СНИЛС", "Образовательная организация",
          "ИНН организации", "Должность", "Предмет(ы)", "Квалификационная категория", "E-mail", "Телефон",
          "Согласие на обработку ПДн"]

# sheet row → values (None = empty cell); rows 3, 8 and 15 are blank.
TEACHER_ROWS = {
    6: [1, "Иванова Анна Петровна", date(1985, 3, 12), SNILS_IVANOVA, "МБОУ «СОШ № 1»", int(SCHOOL_INN),
        "учитель", "математика", "высшая", "Ivanova@School1.ru", "8 (912) 345-67-89", date(2023, 9, 1)],
    7: [2, "ПЕТРОВ ПЁТР СЕРГЕЕВИЧ", "05.11.1990", SNILS_PETROV.replace("-", "").replace(" ", ""), None,
        int(SCHOOL_INN), "учитель", "физика", "первая", None, None, "да"],
    9: [3, "Сидорова Мария Ивановна", "07.07.1979 г.", int(SNILS_SIDOROVA.replace("-", "").replace(" ", "")),
        "МБДОУ «Детский сад № 5»", None, "воспитатель", None, "б/к", None, None, None],
    10: [4, "Кузнецов Олег Игоревич", date(1992, 1, 20), SNILS_KUZNETSOV_BAD, "МБОУ «СОШ № 1»", int(SCHOOL_INN),
         "учитель", "химия", None, None, None, None],
    11: [5, "Смирнова Ольга Викторовна", "31.02.1990", SNILS_SMIRNOVA, "МБОУ «СОШ № 1»", int(SCHOOL_INN),
         "учитель", None, None, None, None, None],
    12: [6, "Иванова Анна Петровна", date(1985, 3, 12), SNILS_IVANOVA, "МБОУ «СОШ № 1»", int(SCHOOL_INN),
         "учитель", "математика", "высшая", None, None, None],
    13: [7, "Волков Андрей Николаевич", date(1988, 4, 4), SNILS_VOLKOV.replace("-", " "),
         "МАУ ДО «Дом детского творчества»", int(DDT_INN), "педагог дополнительного образования", None,
         "соответствие", None, None, None],
    14: [8, "Орлова Е.В.", date(1975, 6, 1), None, "МБОУ «СОШ № 1»", None, "учитель", None, None, None, None, None],
}
VALID_ROWS = (6, 7, 9, 13)
REJECTED = {           # row → (column, part of the reason)
    10: ("D (СНИЛС)", "неверная контрольная сумма"),
    11: ("C (Дата рождения)", "31.02.1990"),
    12: ("D (СНИЛС)", "уже встречался в строке 6"),
    14: ("B (Ф.И.О. педагога)", "полностью, а не инициалы"),
}
SIGNATURE_ROW = 16


def teachers_workbook(path: Path, *, rows: dict[int, list] | None = None, empty_first_sheet: bool = True) -> Path:
    wb = Workbook()
    if empty_first_sheet:
        wb.active.title = "Пояснения"
        ws = wb.create_sheet("Педагоги")
    else:
        ws = wb.active
        ws.title = "Педагоги"
    last = len(HEADER)
    ws.cell(1, 1, "Управление образования администрации городского округа Энск")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.cell(2, 1, "Список педагогических работников по состоянию на 01.09.2024")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    for col, text in enumerate(HEADER, start=1):
        ws.cell(4, col, text)
        ws.cell(5, col, col)                           # the row of column numbers of a printed form
    rows = TEACHER_ROWS if rows is None else rows
    for number, values in rows.items():
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = ws.cell(number, col, value)
                if isinstance(value, date):
                    cell.number_format = "DD.MM.YYYY"
    if rows is TEACHER_ROWS:
        ws.merge_cells("E6:E7")                        # one organisation merged over two teachers
        ws.cell(SIGNATURE_ROW, 2, "Директор ____________ Иванов И.И.")
        ws.merge_cells(start_row=SIGNATURE_ROW, start_column=2, end_row=SIGNATURE_ROW, end_column=5)
        ws.cell(SIGNATURE_ROW + 1, 2, "М.П.")
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str, delimiter: str = ";") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


LYCEUM = "МБОУ «Лицей № 2»"
CSV_ROWS = [
    ["Список педагогов", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["Фамилия", "Имя", "Отчество", "Дата рождения", "СНИЛС", "Место работы"],
    ["Семёнова", "Дарья", "Олеговна", "14.02.1995", snils("456789012"), LYCEUM],
    ["ёлкин", "игорь", "", "1.3.1987", snils("567890123", canonical=False), LYCEUM],
    ["", "", "", "", "", ""],
    ["Гасанов", "Рустам", "Гасан оглы", "30.12.1999", "", LYCEUM],
    ["Исполнитель: Петрова А.А., тел. 8 (900) 123-45-67", "", "", "", "", ""],
]


def organizations_workbook(path: Path, rows: list[list] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Организации"
    ws["A1"] = "Реестр образовательных организаций"
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["Полное наименование", "Краткое наименование", "Тип", "ИНН/КПП", "ОГРН", "Адрес", "Телефон",
               "Руководитель"])
    for r in rows if rows is not None else ORGANIZATION_ROWS:
        ws.append(r)
    wb.save(path)
    return path


ORGANIZATION_ROWS = [
    ["Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
     "МБОУ СОШ № 1", "школа", f"{SCHOOL_INN}/770701001", "1027700132195", "г. Энск, ул. Ленина, 1",
     "8 (495) 500-55-50", "Иванов Иван Иванович"],                                       # row 4
    ["Муниципальное бюджетное дошкольное образовательное учреждение «Детский сад № 5»", "МБДОУ д/с № 5", None,
     None, None, "г. Энск, ул. Мира, 5", None, "Петрова Ольга Ивановна"],              # row 5
    ["Муниципальное автономное учреждение дополнительного образования «Дом детского творчества»",
     "МАУ ДО ДДТ", "Организация дополнительного образования", int(DDT_INN), None, None, None, None],   # row 6
    ["ООО «Ромашка»", None, "завод", "1234567890", None, None, None, None],             # row 7: bad kind, bad INN
    [None, None, None, None, None, None, None, None],                                  # row 8: blank
    ["ГБПОУ «Энский педагогический колледж»", None, None, None, None, None, None, None],  # row 9
]
