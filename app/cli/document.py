"""`document iom|credits|group-plan …`: the PDF documents of professional development from the command line.

Wired into app/cli/entry.py with ``add_document_parser(sub)`` in build_parser() and
``"document": lambda args: cmd_document(args, _open(args))`` in COMMANDS.

Each kind of document is a sub-command added by a function of the shape
``add(kinds)`` that creates its parser on ``kinds`` (argparse sub-parsers)
and sets ``run=`` — a ``run(args, db, out) -> int`` — with
``set_defaults(document_run=run)``. More kinds (certificates, verify …) are
added by appending their function to DOCUMENT_SUBCOMMANDS or passing them as
``add_document_parser(sub, extra=(add_certificates, …))``.

Exit codes: 0 the document is saved; 1 refused (unknown teacher or
organisation, no route, file not writable — a Russian message on stderr);
2 usage errors (argparse).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Iterable, TextIO

from app.domain.validators import ValidationError
from app.services.common.errors import ServiceError

EXIT_OK, EXIT_REFUSED = 0, 1

AddSubcommand = Callable[[argparse._SubParsersAction], argparse.ArgumentParser]


def add_document_parser(subparsers, extra: Iterable[AddSubcommand] = ()) -> argparse._SubParsersAction:
    """Adds `document` with its kinds; returns the kinds' sub-parsers (to add more)."""
    doc = subparsers.add_parser(
        "document", help="документы PDF: ИОМ, выписка о з.е., план маршрутов группы, сертификаты; проверка сертификата",
        description="Формирует документ PDF (А4, шрифт с кириллицей встроен). Педагога можно указать "
                    "идентификатором записи или СНИЛС в любом написании (11223344595, 112-233-445 95 …). "
                    "Код выхода 0 — документ сохранён, 1 — отказ (сообщение в stderr).")
    kinds = doc.add_subparsers(dest="document", metavar="ДОКУМЕНТ", required=True)
    for add in (*DOCUMENT_SUBCOMMANDS, *extra):
        add(kinds)
    return kinds


def _teacher_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--teacher", required=True, metavar="СНИЛС_ИЛИ_ID",
                   help="СНИЛС (с разделителями или без) или идентификатор записи педагога")
    p.add_argument("--unmasked", action="store_true",
                   help="СНИЛС в документе без маскирования (нужно право видеть персональные данные)")


def _out_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="ФАЙЛ.pdf", help="куда сохранить документ")


def add_iom(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("iom", help="индивидуальный образовательный маршрут педагога",
                         description="ИОМ педагога: текущий маршрут (период включает сегодняшний день), "
                                     "иначе последний; или маршрут, указанный в --route.")
    _teacher_arg(p)
    _out_arg(p)
    p.add_argument("--route", metavar="ID", help="идентификатор маршрута (по умолчанию — текущий или последний)")
    p.set_defaults(document_run=_run_iom)
    return p


def add_credits(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("credits", help="выписка о накопленных зачётных единицах",
                         description="Все выполненные элементы маршрутов педагога, итоги по годам и за весь "
                                     "период, срок следующего повышения квалификации.")
    _teacher_arg(p)
    _out_arg(p)
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
    _out_arg(p)
    p.set_defaults(document_run=_run_group_plan)
    return p


from app.cli.certificates import add_certificates, add_verify  # noqa: E402 - the functions above come first

DOCUMENT_SUBCOMMANDS: list[AddSubcommand] = [add_iom, add_credits, add_group_plan, add_certificates, add_verify]

from app.cli.review import add_review_conclusion, add_review_protocol  # noqa: E402

DOCUMENT_SUBCOMMANDS += [add_review_conclusion, add_review_protocol]


def cmd_document(args, db, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Runs `document KIND …`; 0 when the file is saved, 1 when refused."""
    out = out or sys.stdout
    err = err or sys.stderr
    run = getattr(args, "document_run", None)
    if run is None:
        print("Ошибка: не указан вид документа (iom, credits, group-plan, certificates, verify).", file=err)
        return EXIT_REFUSED
    try:
        return run(args, db, out)
    except (ServiceError, ValidationError, ValueError) as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_REFUSED


def _saved(path: Path, out: TextIO) -> int:
    print(f"Документ сохранён: {path}", file=out)
    return EXIT_OK


def _run_iom(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_iom_pdf
    from app.services.development import find_teacher

    return _saved(write_iom_pdf(db, find_teacher(db, args.teacher), args.out, route_id=args.route,
                                unmasked=getattr(args, "unmasked", False)), out)


def _run_credits(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_credits_pdf
    from app.services.development import find_teacher

    return _saved(write_credits_pdf(db, find_teacher(db, args.teacher), args.out,
                                    unmasked=getattr(args, "unmasked", False)), out)


def _run_group_plan(args, db, out: TextIO) -> int:
    from app.export.pdf_documents import write_group_plan_pdf
    from app.services.development import find_organization

    if args.organization:
        group = find_organization(db, args.organization)
    else:
        group = read_teacher_list(db, args.teachers)
    return _saved(write_group_plan_pdf(db, group, args.out), out)


def read_teacher_list(db, path: str) -> list[str]:
    """Teacher ids from a text file: one id or СНИЛС a line (the first field of a CSV-like line)."""
    from app.services.development import find_teacher

    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ServiceError(f"Не удалось прочитать список педагогов «{file}»: {exc.strerror or exc}.") from None
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
