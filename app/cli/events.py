"""`export plan --year YYYY --out FILE.xlsx`: the year's plan of events as a workbook.

`import events FILE [--year YYYY] [--report OUT.xlsx] [--all-or-nothing]` is the
common spreadsheet import (app/cli/importing.py) with the kind «events».
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.cli.common import EXIT_OK, EXIT_REFUSED
from app.cli.security import open_signed_in
from app.services.common.errors import ServiceError


def register(sub) -> None:
    add_export_parser(sub).set_defaults(run=lambda args: cmd_export(args, open_signed_in(args)))


def add_export_parser(subparsers) -> argparse.ArgumentParser:
    exp = subparsers.add_parser("export", help="выгрузка в таблицу: план мероприятий на год (xlsx)",
                                description="Выгрузка плана образовательных событий на год в книгу Excel. "
                                            "Столбцы те же, что читает `import events`, поэтому выгруженный план "
                                            "можно исправить и загрузить обратно.")
    exp.add_argument("what", choices=("plan",), metavar="ЧТО", help="plan — план мероприятий на год")
    exp.add_argument("--year", type=int, required=True, metavar="ГГГГ", help="год плана, например 2025")
    exp.add_argument("--out", required=True, metavar="ФАЙЛ.xlsx", help="куда сохранить книгу")
    return exp


def cmd_export(args, db, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from app.export.events_plan_xlsx import export_plan

    try:
        path, n = export_plan(db, args.year, args.out)
    except ServiceError as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_REFUSED
    print(f"План мероприятий на {args.year} год сохранён: {path} (мероприятий: {n}).", file=out)
    return EXIT_OK

