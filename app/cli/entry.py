"""Command line interface: the same services as the GUI, for scripts and headless machines.

Exit codes: 0 success; 1 bad input or a refused action (Russian message on
stderr); 2 usage errors (argparse).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from app.domain.validators import ValidationError
from app.services.common.errors import ServiceError
from app.storage.backup import BackupError
from app.storage.migrate import SchemaError
from app.storage.single_writer import DatabaseInUse

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

HEADLESS_HINT = """\
Графический интерфейс недоступен: нет дисплея (переменные DISPLAY и WAYLAND_DISPLAY не заданы).
Запустите программу в графическом сеансе или пользуйтесь командами:
  ./run demo --teachers 2000      заполнить базу демонстрационными данными
  ./run stats --json              сколько записей каждого вида
  ./run list teachers --search иванов
  ./run check                     проверить целостность базы
  ./run backup --out копия.sqlite резервная копия
  ./run --help                    все команды
"""


class RussianHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="metodset", formatter_class=RussianHelpFormatter,
        description="МетодСеть — учёт сетевого взаимодействия муниципальной методической службы. "
                    "Без команды запускается графический интерфейс.")
    p.add_argument("--db", metavar="ПУТЬ_ИЛИ_URL",
                   help="файл базы SQLite или URL SQLAlchemy (по умолчанию — база в папке данных пользователя)")
    sub = p.add_subparsers(dest="command", metavar="КОМАНДА")

    demo = sub.add_parser("demo", help="заполнить базу демонстрационными данными")
    demo.add_argument("--teachers", type=int, default=2000, metavar="N", help="число педагогов (100–100000)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="зерно генератора (одинаковое — одинаковые данные)")
    demo.add_argument("--password", default="demo", metavar="ПАРОЛЬ",
                      help="пароль демонстрационных учётных записей admin, metodist, expert, viewer (по умолчанию demo)")

    stats = sub.add_parser("stats", help="число записей каждого вида")
    stats.add_argument("--json", action="store_true", help="вывести объект JSON")

    lst = sub.add_parser("list", help="список записей")
    lst.add_argument("entity", metavar="ВИД", help="organizations, teachers, programmes, events, … (см. list --help)")
    lst.add_argument("--search", metavar="ТЕКСТ", help="поиск без учёта регистра, ё = е")
    lst.add_argument("--limit", type=int, metavar="N", help="не больше N записей")
    lst.add_argument("--json", action="store_true", help="вывести массив JSON")
    lst.add_argument("--deleted", action="store_true", help="показать удалённые (корзина)")
    from app.cli.events import add_export_parser, add_filter_argument

    add_filter_argument(lst)
    add_export_parser(sub)
    lst.add_argument("--unmasked", action="store_true",
                     help="СНИЛС, телефон и почту без маскирования (нужно право видеть персональные данные)")

    sub.add_parser("check", help="проверить схему, целостность и внешние ключи базы")

    bak = sub.add_parser("backup", help="резервная копия базы")
    bak.add_argument("--out", required=True, metavar="ФАЙЛ")

    res = sub.add_parser("restore", help="восстановить базу из резервной копии")
    res.add_argument("file", metavar="ФАЙЛ")

    from app.cli.importing import add_import_parser

    add_import_parser(sub)
    from app.cli.document import add_document_parser

    add_document_parser(sub)
    from app.cli.report import add_report_parser

    add_report_parser(sub)

    from app.cli.sync import add_sync_parser

    add_sync_parser(sub)

    from app.cli.security import add_security_parsers

    add_security_parsers(p, sub)
    from app.cli.audit import add_audit_parser

    add_audit_parser(sub)
    sub.add_parser("gui", help="запустить графический интерфейс")
    return p


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _open(args):
    from app.cli.security import open_signed_in

    return open_signed_in(args)


def cmd_demo(args) -> int:
    from app.services.demo.generator import generate_demo

    db = _open(args)

    def progress(fraction: float, message: str) -> None:
        print(f"\r{int(fraction * 100):3d}%  {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    result = generate_demo(db, args.teachers, args.seed, progress=progress)
    print(file=sys.stderr)
    total = sum(result.counts.values())
    print(f"Создано записей: {total} за {result.seconds:.1f} с (педагогов: {args.teachers}).")
    from app.services.accounts.accounts import create_demo_accounts

    made = create_demo_accounts(db, args.password)
    if made:
        print(f"Учётные записи: {', '.join(f'{a.login} ({a.role_label.lower()})' for a in made)}; "
              f"пароль у всех: «{args.password}».")
    return EXIT_OK


def cmd_stats(args) -> int:
    from app.services.registry.overview import stats

    counts = stats(_open(args))
    if args.json:
        _print_json(counts)
    else:
        from app.services.registry.specs import spec_for

        for key, n in counts.items():
            print(f"{spec_for(key).title}: {n}")
    return EXIT_OK


def cmd_list(args) -> int:
    from app.services.common.fields import to_json
    from app.services.registry.service import RecordService

    if args.limit is not None and args.limit < 0:
        raise ServiceError("--limit не может быть отрицательным.")
    from app.cli.events import parse_filters

    filters = parse_filters(getattr(args, "filter", None))
    service = RecordService(_open(args))
    result = service.list(args.entity, search=args.search, limit=args.limit, deleted=args.deleted, filters=filters)
    from app.services.access.personal_data import mask_for_export

    mask_for_export(service.db, args.entity, result.rows, args.unmasked)
    if args.json:
        _print_json([{k: to_json(v) for k, v in row.items()} for row in result.rows])
        return EXIT_OK
    print("\t".join(["id"] + [c.label for c in result.columns]))
    for row in result.rows:
        print("\t".join([row["id"]] + service.display_row(args.entity, row)))
    print(f"Найдено: {len(result.rows)}", file=sys.stderr)
    return EXIT_OK


def cmd_check(args) -> int:
    from app.services.maintenance.operations import check_database

    db = _open(args)
    report = check_database(db)
    for line in report.lines():
        print(line)
    if not report.ok and db.path is not None:
        from app.cli.security import damaged_message

        print(damaged_message(db.path, "проверка нашла ошибки"), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_REFUSED


def cmd_backup(args) -> int:
    from app.services.maintenance.operations import backup

    path = backup(_open(args), Path(args.out))
    print(f"Резервная копия сохранена: {path}")
    return EXIT_OK


def cmd_restore(args) -> int:
    from app.cli.security import restore_damaged
    from app.services.maintenance.operations import restore

    if restore_damaged(args):
        return EXIT_OK

    safety = restore(_open(args), Path(args.file))
    print(f"База восстановлена из {args.file}. Прежнее состояние сохранено: {safety}")
    return EXIT_OK


def cmd_import(args) -> int:
    from app.cli.importing import cmd_import as run_import_command

    return run_import_command(args, _open(args))


def cmd_document(args) -> int:
    from app.cli.document import cmd_document as run_document_command

    return run_document_command(args, _open(args))


def cmd_export(args) -> int:
    from app.cli.events import cmd_export as run_export_command

    return run_export_command(args, _open(args))


def cmd_sync(args) -> int:
    from app.cli.sync import cmd_sync as run_sync_command

    return run_sync_command(args, _open(args))


def _with_db(args, name: str) -> int:
    import app.cli.audit
    import app.cli.security

    command = getattr(app.cli.security, name, None) or getattr(app.cli.audit, name)
    return command(args, _open(args))


def cmd_report(args) -> int:
    from app.cli.report import cmd_report as run_report_command

    return run_report_command(args, lambda: _open(args))


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def cmd_gui(args) -> int:
    if not has_display():
        print(HEADLESS_HINT, file=sys.stderr, end="")
        return EXIT_REFUSED
    from app.ui.shell.application import run_gui

    return run_gui(args.db)


COMMANDS = {
    "demo": cmd_demo, "stats": cmd_stats, "list": cmd_list, "check": cmd_check,
    "backup": cmd_backup, "restore": cmd_restore, "import": cmd_import, "document": cmd_document, "report": cmd_report, "gui": cmd_gui, None: cmd_gui,
    "export": cmd_export, "sync": cmd_sync,
    "account": lambda args: _with_db(args, "cmd_account"), "backups": lambda args: _with_db(args, "cmd_backups"),
    "anonymize": lambda args: _with_db(args, "cmd_anonymize"), "audit": lambda args: _with_db(args, "cmd_audit"),
}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # Windows consoles default to a legacy code page that cannot print Cyrillic.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ServiceError, SchemaError, BackupError, ValidationError, DatabaseInUse) as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ValueError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("Прервано пользователем.", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        from app.cli.security import close_opened

        close_opened()


def console_main() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console_main()
