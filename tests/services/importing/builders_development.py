"""Spreadsheets of programmes and of group diagnostics results, built for the import tests.

The row numbers below are the sheet rows the tests expect in the reports.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook

PROGRAMME_HEADER = ["№", "Наименование программы", "Организация-разработчик", "Объём (часов)", "З.е.",
                    "Форма обучения", "Номер в федеральном реестре", "Статус экспертизы", "Действует до",
                    "Компетенции", "Аннотация"]
ACADEMY = "ФГАОУ ДПО «Академия Минпросвещения России»"
PROGRAMME_ROWS = {
    4: [1, "Формирование функциональной грамотности школьников", "МБОУ СОШ № 1", 72, None, "очная",
        "ФР-2024-0012", "сертифицирована", date(2026, 12, 31),
        "Формирование функциональной грамотности; Оценивание образовательных результатов", "Кейсы и практикумы."],
    5: [2, "Цифровая образовательная среда", ACADEMY, "36 ч", 1.5, "дистанционная", None, "на экспертизе", None,
        "Цифровые образовательные технологии", None],
    6: [3, "Проектная деятельность", ACADEMY, "много", None, "очная", None, None, None, None, None],
    7: [4, "Инклюзия в школе", None, -16, None, "очная", None, None, None, None, None],
    8: [5, "Инклюзивное образование", None, 24, None, "очно-заочная", None, None, None,
        "Инклюзивное образование, работа с детьми с ОВЗ", None],
    9: [6, "Функциональная грамотность (повтор)", None, 72, None, "очная", "ФР-2024-0012", None, None, None, None],
    10: [7, "Воспитание", None, 18, None, "очная", None, "непонятно", None, None, None],
}
PROGRAMMES_VALID = (4, 5, 8)
PROGRAMMES_REJECTED = [
    (6, "D (Объём (часов))", "«много»: объём в часах должен быть числом"),
    (7, "D (Объём (часов))", "«-16»: объём в часах должен быть больше нуля"),
    (9, "G (Номер в федеральном реестре)",
     "номер ФР-2024-0012 уже встречался в строке 4; повторная строка не импортируется"),
    (10, "H (Статус экспертизы)",
     "«непонятно» нет в списке допустимых значений (Не проводилась, На экспертизе, Сертифицирована, Отклонена)"),
]


def programmes_workbook(path: Path, rows: dict[int, list] | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Программы"
    ws["A1"] = "Реестр программ повышения квалификации на 2025 год"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(PROGRAMME_HEADER))
    for col, text in enumerate(PROGRAMME_HEADER, start=1):
        ws.cell(3, col, text)
    for number, values in (PROGRAMME_ROWS if rows is None else rows).items():
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(number, col, value)
    wb.save(path)
    return path


DIAGNOSTIC_HEADER = ["№ п/п", "ФИО педагога", "СНИЛС", "Дата диагностики", "Предметные знания",
                     "Цифровые образовательные технологии (из 10)", "Формирование функциональной грамотности"]
HELD_ON = date(2025, 10, 15)
DEFAULT_DATE = date(2025, 10, 20)
INSTRUMENT = "Диагностика ЦНППМ"


def diagnostic_rows(snils_ivanova: str) -> dict[int, list]:
    return {
        4: [1, "Иванова Анна Петровна", snils_ivanova, HELD_ON, 85, 5, 40],
        5: [2, "Петров Пётр Сергеевич", None, None, 70, 9, None],
        6: [3, "Неизвестный Иван Иванович", None, HELD_ON, 50, 5, 50],
        7: [4, "Сидорова Мария Ивановна", None, HELD_ON, 120, 5, 50],
        8: [5, "Сидорова Мария Ивановна", None, date(2025, 10, 16), 50, 11, 50],
    }


DIAGNOSTICS_REJECTED = [
    (6, "B (ФИО педагога)",
     "педагог «Неизвестный Иван Иванович» не найден в базе; сначала добавьте или импортируйте педагога"),
    (7, "E (Предметные знания)", "балл 120 вне диапазона от 0 до 100"),
    (8, "F (Цифровые образовательные технологии (из 10))", "балл 11 вне диапазона от 0 до 10"),
]


def diagnostics_workbook(path: Path, rows: dict[int, list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Результаты"
    ws["A1"] = "Результаты диагностики профессиональных дефицитов, октябрь 2025 г."
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DIAGNOSTIC_HEADER))
    for col, text in enumerate(DIAGNOSTIC_HEADER, start=1):
        ws.cell(3, col, text)
    for number, values in rows.items():
        for col, value in enumerate(values, start=1):
            if value is not None:
                cell = ws.cell(number, col, value)
                if isinstance(value, date):
                    cell.number_format = "DD.MM.YYYY"
    wb.save(path)
    return path
