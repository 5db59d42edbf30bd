"""Events on the command line: `export plan --year YYYY --out FILE.xlsx`, and the `--filter` of `list`.

`import events FILE [--year YYYY] [--report OUT.xlsx] [--all-or-nothing]` is the
common spreadsheet import (app/cli/importing.py) with the kind «events».

Wired into app/cli/entry.py with ``add_export_parser(sub)``,
``"export": lambda args: cmd_export(args, _open(args))`` and
``parse_filters(args.filter)`` in `list`.
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.services.common.errors import ServiceError

EXIT_OK, EXIT_REFUSED = 0, 1


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


def add_filter_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filter", action="append", default=[], metavar="ПОЛЕ=ЗНАЧЕНИЕ",
                        help="отбор по полю, можно несколько раз: list events --filter plan_year=2025 "
                             "--filter kind=семинар")


def parse_filters(items: list[str] | None) -> dict[str, str]:
    """`--filter kind=семинар` → {"kind": "семинар"}; an enum value may be given by its Russian label."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ServiceError(f"--filter «{item}»: ожидается ПОЛЕ=ЗНАЧЕНИЕ, например plan_year=2025.")
        out[name.strip()] = value.strip()
    return out
