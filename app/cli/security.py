"""Command-line sign-in, the exclusive open, and the commands for accounts and backups.

With accounts in the database every command signs in: ``--user ИМЯ`` (the
password is asked without echo) or METODSET_USER and METODSET_PASSWORD for
scripts. A database without accounts (set-up mode) needs no sign-in.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.services.common.errors import ServiceError

ENV_USER, ENV_PASSWORD = "METODSET_USER", "METODSET_PASSWORD"
_opened: list = []


def add_sign_in_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="ИМЯ", help=f"имя входа (или переменная {ENV_USER}; пароль спрашивается "
                                                  f"или берётся из {ENV_PASSWORD})")


def register(sub) -> None:
    acc = sub.add_parser("account", help="учётные записи: list, create, passwd, reset, role, block, unblock")
    acc_sub = acc.add_subparsers(dest="account_command", metavar="ДЕЙСТВИЕ", required=True)
    acc_sub.add_parser("list", help="список учётных записей")
    create = acc_sub.add_parser("create", help="создать учётную запись (пароль спрашивается)")
    create.add_argument("login", metavar="ИМЯ")
    create.add_argument("--role", required=True, choices=["admin", "methodist", "expert", "observer"])
    create.add_argument("--name", default="", metavar="ФИО")
    create.add_argument("--teacher", metavar="ID", help="педагог-эксперт (для роли expert)")
    acc_sub.add_parser("passwd", help="сменить свой пароль")
    reset = acc_sub.add_parser("reset", help="сбросить пароль (администратор)")
    reset.add_argument("login", metavar="ИМЯ")
    role = acc_sub.add_parser("role", help="сменить роль (администратор)")
    role.add_argument("login", metavar="ИМЯ")
    role.add_argument("role", choices=["admin", "methodist", "expert", "observer"])
    role.add_argument("--teacher", metavar="ID")
    for name in ("block", "unblock"):
        b = acc_sub.add_parser(name, help="заблокировать" if name == "block" else "разблокировать")
        b.add_argument("login", metavar="ИМЯ")
    acc.set_defaults(run=lambda args: cmd_account(args, open_signed_in(args)))

    bks = sub.add_parser("backups", help="автоматические резервные копии: список и сколько хранить")
    bks.add_argument("--keep", type=int, metavar="N", help="хранить не больше N последних копий")
    bks.set_defaults(run=lambda args: cmd_backups(args, open_signed_in(args)))

    anon = sub.add_parser("anonymize", help="обезличить персональные данные педагога (по заявлению)")
    anon.add_argument("teacher_id", metavar="ID")
    anon.add_argument("--yes", action="store_true", help="без вопроса о подтверждении")
    anon.set_defaults(run=lambda args: cmd_anonymize(args, open_signed_in(args)))


def _ask_password(prompt: str) -> str:
    env = os.environ.get(ENV_PASSWORD)
    if env is not None:
        return env
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(prompt)
        # A script pipes the password in; closed input is refused before anything is asked.
        line = sys.stdin.readline() if sys.stdin is not None else ""
        if not line:
            raise EOFError
        return line.rstrip("\r\n")
    except EOFError:
        raise ServiceError("Пароль не введён: ввод закрыт. Запустите команду в терминале или задайте "
                           f"пароль в переменной {ENV_PASSWORD}.") from None


def _ask_new_password(prompt: str = "Новый пароль: ") -> str:
    env = os.environ.get("METODSET_NEW_PASSWORD")
    if env is not None:
        return env
    first = getpass.getpass(prompt)
    if getpass.getpass("Повторите пароль: ") != first:
        raise ServiceError("Пароли не совпадают.")
    return first


# Commands that show no record, only counts or the file's soundness: a script or a
# colleague may run them without an account (nothing personal is shown, nothing written).
WITHOUT_SIGN_IN = frozenset({"stats", "check"})


def open_signed_in(args):
    """Opens the database for this command: not damaged, not in use, migrated, backed up daily, signed in."""
    from app.services.accounts import accounts
    from app.services.maintenance import backups
    from app.services.common.bootstrap import PasswordRequired, default_database_path, open_database
    from app.storage.database import resolve_url

    url = resolve_url(args.db, default_database_path())
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        problem = backups.damage(path)
        if problem:
            raise ServiceError(damaged_message(path, problem))
    try:
        db, result = open_database(args.db, exclusive=True)
    except PasswordRequired as refused:
        if sys.stdin is None or not sys.stdin.isatty():
            raise
        try:
            password = getpass.getpass(f"Пароль ({refused.user_at(args.db)}): ")
        except EOFError:
            raise refused from None
        db, result = open_database(args.db, exclusive=True, password=password)
    _opened.append(db)
    if result.backup_path is not None:
        print(f"Схема базы обновлена ({result.from_revision} → {result.to_revision}); "
              f"резервная копия: {result.backup_path}", file=sys.stderr)
    backups.daily_backup(db)
    if accounts.has_accounts(db):
        login = args.user or os.environ.get(ENV_USER)
        if not login and getattr(args, "command", None) in WITHOUT_SIGN_IN:
            return db
        if not login:
            raise ServiceError(f"В базе есть учётные записи: укажите имя входа (--user ИМЯ или переменная "
                               f"{ENV_USER}); пароль спрашивается или берётся из {ENV_PASSWORD}.")
        accounts.sign_in(db, login, _ask_password(f"Пароль для {login}: "))
    return db


def damaged_message(path: Path, problem: str) -> str:
    from app.services.maintenance.backups import latest_good_backup

    good = latest_good_backup(path)
    # One line, as every refusal: the advice follows the diagnosis.
    offer = (f"Последняя исправная резервная копия: {good}; восстановить: metodset --db \"{path}\" restore \"{good}\""
             if good else "Исправных резервных копий рядом с базой не найдено.")
    return f"База данных {path} повреждена: {problem}. {offer}"


def close_opened() -> None:
    from app.services.common.bootstrap import close_database

    while _opened:
        close_database(_opened.pop())


def restore_damaged(args) -> bool:
    """``restore`` on a damaged file: the file is put aside and the backup copied in. False when not damaged."""
    from app.services.maintenance import backups
    from app.services.common.bootstrap import default_database_path
    from app.storage.database import resolve_url

    url = resolve_url(args.db, default_database_path())
    if not url.startswith("sqlite:///"):
        return False
    path = Path(url[len("sqlite:///"):])
    if not backups.damage(path):
        return False
    aside = backups.recover_from_backup(path, Path(args.file))
    print(f"База восстановлена из {args.file}. Повреждённый файл сохранён как {aside}")
    return True


def cmd_account(args, db) -> int:
    from app.services.accounts import accounts

    action = args.account_command
    if action == "list":
        for a in accounts.list_accounts(db):
            state = "заблокирована" if a.blocked else ("временно заблокирована" if a.locked_until else "действует")
            print("\t".join([a.login, a.role_label, a.full_name, state]))
    elif action == "create":
        a = accounts.create_account(db, args.login, _ask_new_password(), args.role, full_name=args.name,
                                    teacher_id=args.teacher)
        print(f"Учётная запись {a.login} ({a.role_label}) создана.")
    elif action == "passwd":
        accounts.change_password(db, _ask_password("Текущий пароль: "), _ask_new_password())
        print("Пароль изменён.")
    elif action == "reset":
        accounts.reset_password(db, args.login, _ask_new_password("Временный пароль: "))
        print(f"Пароль {args.login} сброшен; при входе его попросят сменить.")
    elif action == "role":
        a = accounts.set_role(db, args.login, args.role, args.teacher)
        print(f"{a.login}: роль {a.role_label}.")
    else:
        accounts.set_blocked(db, args.login, action == "block")
        print(f"{args.login}: {'заблокирована' if action == 'block' else 'разблокирована'}.")
    return 0


def cmd_backups(args, db) -> int:
    from app.services.maintenance import backups

    if args.keep is not None:
        backups.set_keep_count(db, args.keep)
    print(f"Хранится последних копий: {backups.keep_count(db)}")
    for b in backups.list_backups(db):
        print(f"{b.made_at:%d.%m.%Y %H:%M:%S}\t{b.reason}\t{b.size // 1024} КБ\t{b.path}")
    return 0


def cmd_anonymize(args, db) -> int:
    from app.services.accounts.anonymize import anonymize_teacher

    if not args.yes:
        answer = input("Персональные данные педагога будут удалены без возможности восстановления. Продолжить? [да/нет] ")
        if answer.strip().lower() not in ("да", "д", "yes", "y"):
            print("Отменено.")
            return 1
    result = anonymize_teacher(db, args.teacher_id)
    print(f"Педагог обезличен: теперь «{result.label}». Очищено записей журнала: {result.audit_rows_scrubbed}.")
    return 0
