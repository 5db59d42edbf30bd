"""`import teachers|organizations|programmes|diagnostics FILE`: the spreadsheet import from the command line.

`import diagnostics FILE [--date дд.мм.гггг] [--instrument ТЕКСТ]`: the date
and instrument serve rows (or files) that have none of their own.

Wired into app/cli/entry.py with ``add_import_parser(sub)`` and
``"import": lambda args: cmd_import(args, _open(args))``.

Exit code 0 when anything was written to the database, 1 when nothing was
(every row rejected, all-or-nothing with a rejected row, nothing new in the
file, or the file could not be read).
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.services.common.actor import Actor
from app.services.common.errors import ServiceError
from app.domain.validators import ValidationError, parse_date
from app.services.importing.spreadsheet_import import (
    DIAGNOSTICS, EVENTS, KINDS, ORGANIZATIONS, PROGRAMMES, TEACHERS, ImportResult, detect, run_import,
)

EXIT_COMMITTED, EXIT_NOTHING = 0, 1
_HEADER_EXAMPLES = {
    TEACHERS: "«ФИО», «Дата рождения», «СНИЛС»",
    ORGANIZATIONS: "«Полное наименование», «ИНН»",
    PROGRAMMES: "«Наименование программы», «Объём (часов)», «Номер в федеральном реестре»",
    DIAGNOSTICS: "«ФИО», «СНИЛС», «Дата диагностики», «Цифровые образовательные технологии»",
    EVENTS: "«Название», «Вид», «Форма», «Дата начала», «Организаторы»",
}


def add_import_parser(subparsers) -> argparse.ArgumentParser:
    imp = subparsers.add_parser(
        "import", help="импорт педагогов, организаций, программ или результатов диагностики из таблицы "
                       "(xlsx, xls, ods, csv)",
        description="Импорт из таблицы Excel, LibreOffice или CSV (UTF-8 или Windows-1251). Строка заголовка и "
                    "столбцы находятся по названиям; строки с ошибками перечисляются с номером строки и столбцом. "
                    "Код выхода 0 — в базу что-то записано, 1 — ничего не записано.")
    imp.add_argument("kind", choices=KINDS, metavar="ВИД",
                     help="teachers (педагоги), organizations (организации), programmes (программы ПК) или "
                          "diagnostics (результаты диагностики; педагоги должны быть в базе) или "
                          "events (план мероприятий; организаторы и сообщества должны быть в базе)")
    imp.add_argument("file", metavar="ФАЙЛ", help="таблица .xlsx, .xls, .ods или .csv")
    imp.add_argument("--report", metavar="ОТЧЁТ.xlsx", help="сохранить отчёт об импорте с отклонёнными строками")
    imp.add_argument("--all-or-nothing", action="store_true",
                     help="при любой ошибке в строках ничего не записывать")
    imp.add_argument("--sheet", metavar="ЛИСТ", help="имя листа (по умолчанию — первый непустой)")
    imp.add_argument("--date", metavar="ДД.ММ.ГГГГ",
                     help="diagnostics: дата диагностики для строк без своей даты")
    imp.add_argument("--instrument", metavar="ТЕКСТ",
                     help="diagnostics: инструмент диагностики для строк без своего")
    imp.add_argument("--year", type=int, metavar="ГГГГ",
                     help="events: год плана для строк без столбца «План на год» (иначе — год даты начала)")
    return imp


def cmd_import(args, db, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Runs `import KIND FILE`; returns 0 when anything was committed, 1 when nothing was."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _run(args, db, out, err)
    except ServiceError as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_NOTHING


def _run(args, db, out: TextIO, err: TextIO) -> int:
    def progress(fraction: float, message: str) -> None:
        if err.isatty():
            print(f"\r{int(fraction * 100):3d}%  {message[:60]:<60}", end="", file=err, flush=True)

    default_date = None
    if getattr(args, "date", None):
        try:
            default_date = parse_date(args.date)
        except ValidationError as exc:
            raise ServiceError(f"--date: {exc}") from None
    plan = detect(args.file, args.kind, getattr(args, "sheet", None), default_date=default_date,
                  default_instrument=getattr(args, "instrument", None))
    plan.default_year = getattr(args, "year", None)
    problems = plan.problems()
    if problems:
        for line in problems:
            print(f"Ошибка: {line}", file=err)
        print(f"Проверьте названия столбцов в строке заголовка (например, {_HEADER_EXAMPLES.get(args.kind, '')}).",
              file=err)
        return EXIT_NOTHING
    for line in plan.warnings:
        print(f"Предупреждение: {line}", file=err)
    result = run_import(db, plan, actor=Actor.system_user(), all_or_nothing=bool(args.all_or_nothing),
                        progress=progress)
    if err.isatty():
        print(file=err)
    _print_result(result, out, err)
    report = getattr(args, "report", None)
    if report:
        from app.export.import_report import write_report

        try:
            saved = write_report(result, report)
        except ServiceError as exc:        # the import itself stands: say so and keep its exit code
            done = "Импорт выполнен" if result.committed else "Импорт ничего не записал"
            print(f"{done}, но отчёт не сохранён: {exc}", file=err)
        else:
            print(f"Отчёт сохранён: {saved}", file=out)
    return EXIT_COMMITTED if result.committed else EXIT_NOTHING


def _print_result(result: ImportResult, out: TextIO, err: TextIO) -> None:
    for line in result.rejected:
        print(str(line), file=err)
    for line in result.summary_lines():
        print(line, file=out)
