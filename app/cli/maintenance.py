"""`check`, `backup` and `restore`: the soundness of the database file and its copies."""
from __future__ import annotations

import sys
from pathlib import Path

from app.cli.common import EXIT_OK, EXIT_REFUSED
from app.cli.security import damaged_message, open_signed_in, restore_damaged


def register(sub) -> None:
    sub.add_parser("check", help="проверить схему, целостность и внешние ключи базы").set_defaults(run=cmd_check)

    bak = sub.add_parser("backup", help="резервная копия базы")
    bak.add_argument("--out", required=True, metavar="ФАЙЛ")
    bak.set_defaults(run=cmd_backup)

    res = sub.add_parser("restore", help="восстановить базу из резервной копии")
    res.add_argument("file", metavar="ФАЙЛ")
    res.set_defaults(run=cmd_restore)


def cmd_check(args) -> int:
    from app.services.maintenance.operations import check_database

    db = open_signed_in(args)
    report = check_database(db)
    for line in report.lines():
        print(line)
    if not report.ok and db.path is not None:
        print(damaged_message(db.path, "проверка нашла ошибки"), file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_REFUSED


def cmd_backup(args) -> int:
    from app.services.maintenance.operations import backup

    path = backup(open_signed_in(args), Path(args.out))
    print(f"Резервная копия сохранена: {path}")
    return EXIT_OK


def cmd_restore(args) -> int:
    from app.services.maintenance.operations import restore, restore_preview

    if restore_damaged(args):
        return EXIT_OK
    db = open_signed_in(args)
    preview = restore_preview(db, Path(args.file))
    safety = restore(db, Path(args.file))
    print(f"База восстановлена из {args.file}. Прежнее состояние сохранено: {safety}")
    print(preview.accounts_line())
    return EXIT_OK
