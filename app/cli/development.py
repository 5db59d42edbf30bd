"""`document iom`, `document credits`, `document group-plan`: the PDFs of a teacher's professional development."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from app.cli.common import add_pdf_out_argument, document_saved
from app.services.common.errors import ServiceError, describe_os_error


def _teacher_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--teacher", required=True, metavar="СНИЛС_ИЛИ_ID",
                   help="СНИЛС (с разделителями или без) или идентификатор записи педагога")
    p.add_argument("--unmasked", action="store_true",
                   help="СНИЛС в документе без маскирования (нужно право видеть персональные данные)")


def add_iom(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("iom", help="индивидуальный образовательный маршрут педагога",
                         description="ИОМ педагога: текущий маршрут (период включает сегодняшний день), "
                                     "иначе последний; или маршрут, указанный в --route.")
    _teacher_arg(p)
    add_pdf_out_argument(p)
    p.add_argument("--route", metavar="ID", help="идентификатор маршрута (по умолчанию — текущий или последний)")
    p.set_defaults(document_run=_run_iom)
    return p


def add_credits(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("credits", help="выписка о накопленных зачётных единицах",
                         description="Все выполненные элементы маршрутов педагога, итоги по годам и за весь "
                                     "период, срок следующего повышения квалификации.")
    _teacher_arg(p)
    add_pdf_out_argument(p)
    p.set_defaults(document_run=_run_credits)
    return p


def add_group_plan(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("group-plan", help="план маршрутов группы педагогов (организации или списка)",
                         description="Таблица «педагог × элементы маршрута» со сроками и состоянием: "
                                     "все педагоги организации или педагоги из файла (по одному "
                                     "идентификатору или СНИЛС в строке; пустые строки и строки с # пропускаются).")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--organization", metavar="НАИМЕНОВАНИЕ_ИЛИ_ИНН", help="организация: наименование, ИНН или id")
    who.add_argument("--teachers", metavar="ФАЙЛ", help="текстовый файл со списком педагогов")
    add_pdf_out_argument(p)
    p.set_defaults(document_run=_run_group_plan)
    return p


def _run_iom(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_iom_pdf
    from app.services.development import find_teacher

    return document_saved(write_iom_pdf(db, find_teacher(db, args.teacher), args.out, route_id=args.route,
                                unmasked=getattr(args, "unmasked", False)), out)


def _run_credits(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_credits_pdf
    from app.services.development import find_teacher

    return document_saved(write_credits_pdf(db, find_teacher(db, args.teacher), args.out,
                                    unmasked=getattr(args, "unmasked", False)), out)


def _run_group_plan(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_group_plan_pdf
    from app.services.development import find_organization

    if args.organization:
        group = find_organization(db, args.organization)
    else:
        group = read_teacher_list(db, args.teachers)
    return document_saved(write_group_plan_pdf(db, group, args.out), out)


def read_teacher_list(db, path: str) -> list[str]:
    """Teacher ids from a text file: one id or СНИЛС a line (the first field of a CSV-like line)."""
    from app.services.development import find_teacher

    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ServiceError(f"Не удалось прочитать список педагогов «{file}»: {describe_os_error(exc, with_path=False)}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251", errors="replace")
    ids, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split(";")[0].split("\t")[0].strip()
        if not value or value.startswith("#"):
            continue
        try:
            ids.append(find_teacher(db, value))
        except ServiceError as exc:
            problems.append(f"строка {number}: {exc}")
    if problems:
        more = f"\n… и ещё {len(problems) - 10}" if len(problems) > 10 else ""
        raise ServiceError(f"В списке педагогов «{file.name}» есть ошибки:\n" + "\n".join(problems[:10]) + more)
    if not ids:
        raise ServiceError(f"Список педагогов «{file.name}» пуст.")
    return ids
