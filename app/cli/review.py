"""`document review-conclusion` and `document review-protocol`: the PDFs of экспертиза from the command line.

Added to `document` through document.DOCUMENT_SUBCOMMANDS.
"""
from __future__ import annotations

import argparse
from typing import TextIO

from app.cli.common import add_pdf_out_argument, document_saved


def add_review_conclusion(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("review-conclusion", help="экспертное заключение по материалу",
                         description="Экспертное заключение одного эксперта: материал, баллы по критериям, итог, "
                                     "заключение и строка для подписи. Идентификатор экспертизы — "
                                     "`list reviews`.")
    p.add_argument("--review", required=True, metavar="ID", help="идентификатор экспертизы (назначения эксперта)")
    add_pdf_out_argument(p)
    p.set_defaults(document_run=_run_conclusion)
    return p


def add_review_protocol(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser("review-protocol", help="протокол методического совета по итогам экспертизы",
                         description="Протокол заседания методического совета: материалы, итоговые баллы "
                                     "экспертов и решения. Материал указывается идентификатором "
                                     "(`list materials`); --material можно повторить.")
    p.add_argument("--material", required=True, action="append", metavar="ID", help="идентификатор материала")
    p.add_argument("--number", default="", metavar="N", help="номер протокола")
    p.add_argument("--date", metavar="ДД.ММ.ГГГГ", help="дата заседания (по умолчанию — сегодня)")
    add_pdf_out_argument(p)
    p.set_defaults(document_run=_run_protocol)
    return p


def _run_conclusion(args, db, out: TextIO) -> int:
    from app.export.pdf_review import write_conclusion_pdf

    return document_saved(write_conclusion_pdf(db, args.review, args.out), out)


def _run_protocol(args, db, out: TextIO) -> int:
    from app.domain.validators import parse_date
    from app.export.pdf_review import write_protocol_pdf

    held = parse_date(args.date) if args.date else None
    return document_saved(write_protocol_pdf(db, args.material, args.out, number=args.number, held_on=held), out)
