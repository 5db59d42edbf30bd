"""`check`, `backup`, `restore` and `db copy`: the soundness of the database, its copies, and the move to a server."""
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

    dbp = sub.add_parser("db", help="перенос базы: db copy --to postgresql+psycopg://…")
    db_sub = dbp.add_subparsers(dest="db_command", metavar="ДЕЙСТВИЕ", required=True)
    cp = db_sub.add_parser("copy", help="перенести базу SQLite (с файлами и ключами обмена) в пустую базу PostgreSQL",
                           description="Копирует все таблицы в пустую базу PostgreSQL одной транзакцией и сверяет "
                                       "число строк и контрольную сумму каждой таблицы. Пароль сервера — из "
                                       "PGPASSWORD или ~/.pgpass (файл паролей libpq), не в адресе.")
    cp.add_argument("--to", required=True, metavar="URL", help="postgresql+psycopg://пользователь@сервер/база")
    dbp.set_defaults(run=cmd_db)


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


def cmd_db(args) -> int:
    from app.services.maintenance.moving import move_to_server

    db = open_signed_in(args)

    def show(share: float, text: str) -> None:
        print(f"\r{share * 100:3.0f}%  {text:<60}", end="", file=sys.stderr, flush=True)

    result = move_to_server(db, args.to, progress=show)
    print("", file=sys.stderr)
    print(f"База перенесена: таблиц {len(result.tables)}, строк {result.rows}; число строк и контрольные суммы "
          "каждой таблицы совпали.")
    print(f"Дальше запускайте программу с --db {args.to}")
    return EXIT_OK
