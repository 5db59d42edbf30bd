"""`document iom|credits|group-plan …`: the PDF documents of professional development from the command line.

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
from typing import Callable, Iterable, TextIO

from app.cli import certificates, development, review
from app.cli.common import EXIT_REFUSED
from app.cli.security import open_signed_in
from app.domain.validators import ValidationError
from app.services.common.errors import ServiceError

AddSubcommand = Callable[[argparse._SubParsersAction], argparse.ArgumentParser]

DOCUMENT_SUBCOMMANDS: tuple[AddSubcommand, ...] = (
    development.add_iom, development.add_credits, development.add_group_plan,
    certificates.add_certificates, certificates.add_verify,
    review.add_review_conclusion, review.add_review_protocol,
)


def register(sub) -> None:
    add_document_parser(sub)
    sub.choices["document"].set_defaults(run=lambda args: cmd_document(args, open_signed_in(args)))


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
