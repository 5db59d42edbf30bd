"""`report --list` and `report NAME … --out FILE.xlsx|FILE.pdf`: the report catalogue from the command line.

Exit codes: 0 the file is saved (or the list printed); 1 refused (unknown
report, no PDF for it, unknown organisation, file not writable); 2 usage
errors (a date that is not дд.мм.гггг, a period that ends before it starts,
no --out).
"""
from __future__ import annotations

import argparse
import sys
from typing import TextIO

from app.cli.common import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from app.cli.security import open_signed_in
from app.domain.validators import ValidationError, parse_date
from app.services.common.errors import ServiceError


def register(sub) -> None:
    add_report_parser(sub).set_defaults(run=lambda args: cmd_report(args, lambda: open_signed_in(args)))


def add_report_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report", help="отчёты для руководителя и региона (Excel, PDF)",
        description="Формирует отчёт в Excel (.xlsx) или PDF (у отчётов, где он предусмотрен). "
                    "Период задаётся --from и --to (дд.мм.гггг); реестры и отчёты «по состоянию» "
                    "строятся на дату --to (по умолчанию — сегодня). СНИЛС, телефоны и e-mail в отчётах "
                    "маскируются, если не указан --unmasked. Код выхода 0 — файл сохранён, "
                    "1 — отказ, 2 — ошибка в параметрах. В PDF сохраняются отчёты pk-coverage и events.")
    p.add_argument("name", nargs="?", metavar="ОТЧЁТ", help="имя отчёта (см. report --list)")
    p.add_argument("--list", action="store_true", help="список отчётов: имя и название")
    p.add_argument("--from", dest="date_from", metavar="дд.мм.гггг", help="начало периода")
    p.add_argument("--to", dest="date_to", metavar="дд.мм.гггг", help="конец периода («по состоянию на» для реестров)")
    p.add_argument("--organization", metavar="НАИМЕНОВАНИЕ_ИЛИ_ИНН", help="только эта организация")
    p.add_argument("--municipality", metavar="КОД", help="только организации этого муниципального образования")
    p.add_argument("--unmasked", action="store_true", help="показать персональные данные без маскирования")
    p.add_argument("--out", metavar="ФАЙЛ.xlsx|ФАЙЛ.pdf", help="куда сохранить отчёт")
    return p


def print_list(out: TextIO) -> None:
    from app.services.reports import REPORTS

    width = max(len(n) for n in REPORTS)
    for name, cls in REPORTS.items():
        print(f"{name:<{width}}  {cls.title}", file=out)


def _date(text: str | None, option: str):
    if not text:
        return None
    try:
        return parse_date(text)
    except ValidationError as exc:
        raise UsageError(f"{option}: {exc}") from None


class UsageError(Exception):
    pass


def cmd_report(args, db_opener, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Runs `report …`; ``db_opener()`` opens the database only when a report is to be made."""
    out, err = out or sys.stdout, err or sys.stderr
    if args.list:
        print_list(out)
        return EXIT_OK
    from app.export.report_files import save_report
    from app.services.reports import ReportParams, output_format, report_class

    try:
        if not args.name:
            raise UsageError("не указан отчёт. Список отчётов: report --list")
        cls = report_class(args.name)
        if not args.out:
            raise UsageError("не указан файл: --out ФАЙЛ.xlsx" + (" или ФАЙЛ.pdf" if cls.pdf else ""))
        output_format(cls, args.out)
        start, end = _date(args.date_from, "--from"), _date(args.date_to, "--to")
        if start and end and start > end:
            raise UsageError(f"--from ({args.date_from}) позже --to ({args.date_to}).")
        db = db_opener()
        organization_id = None
        if args.organization:
            from app.services.development import find_organization

            organization_id = find_organization(db, args.organization)
        params = ReportParams(date_from=start, date_to=end, organization_id=organization_id,
                              municipality=(args.municipality or "").strip() or None, unmasked=args.unmasked)
        path = save_report(db, cls.name, params, args.out)
    except UsageError as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_USAGE
    except (ServiceError, ValidationError, ValueError) as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_REFUSED
    print(f"Отчёт сохранён: {path}", file=out)
    return EXIT_OK
