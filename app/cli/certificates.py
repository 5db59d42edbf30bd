"""`document certificates` and `document verify`: certificates of participation from the command line.

Added to `document` through document.DOCUMENT_SUBCOMMANDS. Exit codes as
for every document: 0 done, 1 refused (unknown event or code, nothing to
print, folder not writable — a Russian message on stderr), 2 usage errors.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from app.cli.common import EXIT_OK


def add_certificates(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser(
        "certificates", help="сертификаты участников мероприятия (PDF в папку или ZIP)",
        description="Выдаёт сертификаты всем участникам мероприятия, чьё посещение отмечено "
                    "«Присутствовал» (уже выданные не перевыпускаются: номер и код сохраняются), и "
                    "записывает по одному PDF на участника в папку --out. С --single-file — один PDF, "
                    "по странице на участника; с --zip — архив ZIP.")
    p.add_argument("--event", required=True, metavar="ID_ИЛИ_НАЗВАНИЕ",
                   help="идентификатор мероприятия или часть названия, которая указывает ровно на одно")
    p.add_argument("--out", required=True, metavar="ПАПКА",
                   help="папка для файлов (с --single-file или --zip — путь к файлу или папка)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--single-file", action="store_true", help="все сертификаты одним PDF")
    how.add_argument("--zip", action="store_true", help="все сертификаты архивом ZIP")
    p.set_defaults(document_run=run_certificates)
    return p


def add_verify(kinds) -> argparse.ArgumentParser:
    p = kinds.add_parser(
        "verify", help="проверить сертификат по коду",
        description="Показывает запись реестра сертификатов для кода проверки: кому выдан, мероприятие, "
                    "даты, часы, роль, номер, когда выдан и не отозван ли. Регистр, пробелы и дефисы в коде "
                    "не важны. Код выхода 1 — код не найден или записан неверно.")
    p.add_argument("code", metavar="КОД", help="код проверки с сертификата, например 7K3M-9QX2-AB")
    p.set_defaults(document_run=run_verify)
    return p


def run_verify(args, db, out: TextIO) -> int:
    from app.services.events.certificates import verify

    record = verify(db, args.code)
    width = max(len(label) for label, _ in record.lines())
    if not record.is_valid:
        print("ВНИМАНИЕ: сертификат отозван.", file=out)
    for label, value in record.lines():
        print(f"{label + ':':<{width + 1}} {value}", file=out)
    print("Сравните эти сведения с текстом предъявленного сертификата: расхождение означает, "
          "что документ изменён.", file=out)
    return EXIT_OK


def run_certificates(args, db, out: TextIO) -> int:
    from app.export.pdf_certificates import (
        suggested_pdf_name, suggested_zip_name, write_certificate_files, write_certificates_pdf,
        write_certificates_zip,
    )
    from app.services.events.certificate_participants import event_info, find_event
    from app.services.events.certificates import issue_certificates
    from app.services.common.errors import ServiceError

    event_id = find_event(db, args.event)
    event = event_info(db, event_id)
    result = issue_certificates(db, event_id)
    if not result.certificates:
        raise ServiceError(f"У мероприятия «{event.title}» нет участников, чьё посещение отмечено "
                           "«Присутствовал»; сертификаты не выданы.")
    target = Path(args.out)
    if args.single_file or args.zip:
        if target.is_dir():
            target = target / (suggested_zip_name(event.title) if args.zip else suggested_pdf_name(event.title))
        written = [write_certificates_zip(result.certificates, target) if args.zip
                   else write_certificates_pdf(result.certificates, target)]
    else:
        written = write_certificate_files(result.certificates, target)
    print(f"Мероприятие: {event.title} ({event.starts_on:%d.%m.%Y})", file=out)
    print(f"Сертификатов: {len(result.certificates)}, из них выдано сейчас: {result.new_count}.", file=out)
    for name, reason in result.skipped:
        print(f"Без сертификата: {name} — {reason}.", file=out)
    for path in written:
        print(f"Сохранено: {path}", file=out)
    return EXIT_OK
