"""`sync …`: the exchange with the region from the command line.

    sync init --role municipal|region --municipality КОД --name НАЗВАНИЕ
    sync keycard --out ФАЙЛ          sync trust ФАЙЛ [--replace]   sync partners
    sync revoke НАЗВАНИЕ_ИЛИ_ОТПЕЧАТОК
    sync export --out ФАЙЛ [--to ПАРТНЁР] [--catalogue] [--personal-data full|pseudonymised|aggregates]
    sync import ФАЙЛ [--receipt-out ФАЙЛ] [--preview]
    sync log

Exit codes: 0 done (an already imported package is done too: nothing to
change), 1 refused with a Russian message on stderr, 2 usage.
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TextIO

from app.cli.common import EXIT_OK
from app.cli.security import open_signed_in
from app.sync import exchange as sx


def register(sub) -> None:
    add_sync_parser(sub).set_defaults(run=lambda args: cmd_sync(args, open_signed_in(args)))


def add_sync_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("sync", help="обмен с регионом: ключи, партнёры, выгрузка и загрузка пакетов",
                              description="Обмен пакетами между муниципальным методическим центром и регионом.")
    sub = p.add_subparsers(dest="sync_command", metavar="ДЕЙСТВИЕ", required=True)
    init = sub.add_parser("init", help="настроить установку: роль, код, название; создать ключи")
    init.add_argument("--role", required=True, choices=sorted(sx.ROLES), help="municipal или region")
    init.add_argument("--municipality", required=True, metavar="КОД", help="код муниципалитета (региона)")
    init.add_argument("--name", required=True, metavar="НАЗВАНИЕ", help="название установки")
    card = sub.add_parser("keycard", help="сохранить карточку открытых ключей для партнёра")
    card.add_argument("--out", required=True, metavar="ФАЙЛ")
    tr = sub.add_parser("trust", help="доверять партнёру по его карточке ключей")
    tr.add_argument("file", metavar="ФАЙЛ")
    tr.add_argument("--replace", action="store_true",
                    help="заменить ключ партнёра с тем же кодом (партнёр переустановил программу или создал новые "
                         "ключи); замена записывается в журнал")
    sub.add_parser("partners", help="список доверенных партнёров")
    rv = sub.add_parser("revoke", help="отозвать доверие к партнёру")
    rv.add_argument("partner", metavar="НАЗВАНИЕ_ИЛИ_ОТПЕЧАТОК")
    ex = sub.add_parser("export", help="выгрузить пакет изменений (или каталог региона)")
    ex.add_argument("--out", required=True, metavar="ФАЙЛ")
    ex.add_argument("--to", metavar="ПАРТНЁР", help="получатель: название, код или отпечаток")
    ex.add_argument("--catalogue", action="store_true",
                    help="региональный центр: каталог программ и план мероприятий для муниципалитетов")
    ex.add_argument("--personal-data", choices=list(sx.PERSONAL_DATA_LEVELS), default="full",
                    help="сколько персональных данных передать: full — полностью (по умолчанию), "
                         "pseudonymised — без ФИО и контактов, СНИЛС заменён ключевым хешем, "
                         "aggregates — только сводные показатели по организациям")
    im = sub.add_parser("import", help="загрузить пакет, квитанцию или каталог")
    im.add_argument("file", metavar="ФАЙЛ")
    im.add_argument("--receipt-out", metavar="ФАЙЛ", help="сохранить квитанцию о приёме для отправителя")
    im.add_argument("--preview", action="store_true", help="только показать, что изменится")
    pw = sub.add_parser("passphrase", help="защитить закрытые ключи обмена паролем (или снять его)",
                        description="Закрытые ключи установки (подпись и расшифровка пакетов) хранятся в папке данных "
                                    "пользователя. С паролем их нельзя использовать, скопировав папку. Новый пароль "
                                    f"спрашивается дважды или берётся из {ENV_NEW_KEYS_PASSWORD}; текущий — из "
                                    f"{ENV_KEYS_PASSWORD}.")
    pw.add_argument("--remove", action="store_true", help="снять пароль с ключей")
    sub.add_parser("log", help="журнал выгруженных и загруженных пакетов")
    st = sub.add_parser("status", help="регион: последний пакет каждого муниципалитета и кто не прислал")
    st.add_argument("--since", metavar="ДД.ММ.ГГГГ", help="кто не присылал пакетов с этой даты (по умолчанию — 30 дней)")
    return p


def _changes_table(outcome: sx.ImportOutcome, out: TextIO) -> None:
    if not outcome.changes:
        return
    print(f"{'Раздел':<28}{'новых':>8}{'изменено':>10}{'удалено':>9}{'без изм.':>10}{'объед.':>8}", file=out)
    for table, c in outcome.changes.items():
        print(f"{sx.entity_label(table):<28}{c['new']:>8}{c['updated']:>10}{c['deleted']:>9}"
              f"{c['unchanged']:>10}{c['merged']:>8}", file=out)


ENV_KEYS_PASSWORD, ENV_NEW_KEYS_PASSWORD = "METODSET_KEYS_PASSWORD", "METODSET_KEYS_NEW_PASSWORD"
# Commands that sign, decrypt or re-write with the private keys.
_NEED_KEYS = ("keycard", "export", "import", "passphrase")


def _secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        try:
            return getpass.getpass(prompt)
        except EOFError:
            pass
    raise sx.KeysLocked(f"Ключи этой установки защищены паролем: задайте его в переменной {env} "
                        "или запустите команду в терминале.")


def _unlock_if_needed(db) -> None:
    if sx.keys_need_passphrase(db):
        sx.unlock_keys(db, _secret(ENV_KEYS_PASSWORD, "Пароль ключей обмена: "))


def _passphrase(args, db, out: TextIO) -> int:
    if args.remove:
        sx.set_keys_passphrase(db, None)
        print("Пароль с ключей обмена снят.", file=out)
        return EXIT_OK
    new = os.environ.get(ENV_NEW_KEYS_PASSWORD)
    if new is None:
        new = _secret(ENV_NEW_KEYS_PASSWORD, "Новый пароль ключей: ")
        if _secret(ENV_NEW_KEYS_PASSWORD, "Ещё раз: ") != new:
            raise sx.SyncError("Пароли не совпадают; ключи не изменены.")
    sx.set_keys_passphrase(db, new)
    print("Ключи обмена защищены паролем. Без него пакеты не выгрузить и не загрузить; "
          "если пароль забыт, ключи придётся создать заново и снова обменяться карточками.", file=out)
    return EXIT_OK


def cmd_sync(args, db, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    action = args.sync_command
    if action in _NEED_KEYS:
        _unlock_if_needed(db)
    if action == "passphrase":
        return _passphrase(args, db, out)
    if action == "init":
        prof = sx.init_installation(db, args.role, args.municipality, args.name)
        print(f"Установка настроена: {prof.name} ({sx.ROLES[prof.role]}, код {prof.municipality_code}).", file=out)
        print(f"Отпечаток ключей: {sx.own_fingerprint(db)}", file=out)
        print("Передайте партнёру карточку ключей: sync keycard --out карточка.json", file=out)
    elif action == "keycard":
        card = sx.write_keycard(db, Path(args.out))
        print(f"Карточка ключей сохранена: {args.out}", file=out)
        print(f"Отпечаток: {sx.fingerprint_groups(card['fingerprint'])}", file=out)
    elif action == "trust":
        partner = sx.trust(db, Path(args.file), replace=args.replace)
        print(f"Партнёр {'с новым ключом ' if args.replace else ''}добавлен в доверенные: {partner.name} ({partner.role_label}, код {partner.municipality_code}).",
              file=out)
        print(f"Отпечаток: {partner.fingerprint_text}", file=out)
        print("Сверьте отпечаток с партнёром по телефону; если он не совпадает, отзовите доверие: "
              f"sync revoke \"{partner.name}\"", file=out)
    elif action == "partners":
        found = sx.partners(db)
        if not found:
            print("Доверенных партнёров нет.", file=out)
        for p in found:
            state = f"отозван {p.revoked_at:%d.%m.%Y}" if p.revoked_at else "доверен"
            print(f"{p.name}\t{p.role_label}\tкод {p.municipality_code}\t{p.fingerprint_text}\t{state}", file=out)
    elif action == "revoke":
        partner = sx.revoke(db, args.partner)
        print(f"Доверие к «{partner.name}» отозвано; его пакеты больше не принимаются.", file=out)
    elif action == "export":
        if args.catalogue:
            if args.personal_data != "full":
                raise sx.SyncError("Каталог региона не содержит персональных данных; --personal-data "
                                   "относится к пакету изменений муниципалитета.")
            result = sx.export_catalogue(db, Path(args.out), args.to)
        else:
            result = sx.export_delta(db, Path(args.out), args.to, personal_data=args.personal_data)
        what = "Каталог" if args.catalogue else "Пакет изменений"
        level = "" if args.catalogue else f"; персональные данные: {sx.PERSONAL_DATA_LEVELS[result.personal_data]}"
        print(f"{what} № {result.sequence} для «{result.receiver}» сохранён: {result.path} "
              f"(записей: {result.total}{level}).", file=out)
        for table, c in result.counts.items():
            print(f"  {sx.entity_label(table)}: {c['records']} (удалений: {c['deleted']})", file=out)
    elif action == "import":
        return _import(args, db, out)
    elif action == "status":
        return _status(args, db, out)
    elif action == "log":
        for e in sx.package_log(db):
            arrow = "→" if e.direction == "out" else "←"
            ack = f", квитанция {e.acknowledged_at:%d.%m.%Y}" if e.acknowledged_at else ""
            level = f"\tперс. данные: {e.personal_data}" if e.kind == "delta" else ""
            print(f"{e.processed_at:%d.%m.%Y %H:%M}\t{arrow} {e.partner_code or 'все'}\t{e.kind} № {e.sequence}\t"
                  f"записей: {e.records}{ack}{level}", file=out)
    return EXIT_OK


def _status(args, db, out: TextIO) -> int:
    from datetime import datetime, timedelta

    from app.domain.validators import parse_date

    since = (datetime.combine(parse_date(args.since), datetime.min.time()) if args.since
             else datetime.now() - timedelta(days=30))
    reports = sx.municipality_reports(db, since)
    if not reports:
        print("Доверенных муниципалитетов нет.", file=out)
    for r in reports:
        last = (f"пакет № {r.last_sequence} от {r.last_at:%d.%m.%Y}, записей {r.last_records}, "
                f"персональные данные: {sx.PERSONAL_DATA_LEVELS.get(r.personal_data, r.personal_data)}"
                if r.last_sequence else "пакетов не было")
        flag = f"\tНЕ ПРИСЫЛАЛ с {since:%d.%m.%Y}" if r.overdue else ""
        print(f"{r.code}\t{r.name}\t{last}{flag}", file=out)
    late = sum(r.overdue for r in reports)
    print(f"Муниципалитетов: {len(reports)}, не прислали с {since:%d.%m.%Y}: {late}.", file=out)
    figures = sx.municipality_aggregates(db)
    if figures:
        print("Сводные показатели (пакеты «только сводные»):", file=out)
        print("Код\tОрганизация\tна дату\tпедагогов\tПК за 3 года\tскоро\tпросрочено\tмолодых\t"
              "зачётные единицы по годам", file=out)
        for a in figures:
            credits = ", ".join(f"{y}: {v:g}" for y, v in a.credits_by_year.items()) or "—"
            print(f"{a.municipality_code}\t{a.organization_name}\t{a.as_of:%d.%m.%Y}\t{a.teachers}\t{a.covered}\t"
                  f"{a.due_soon}\t{a.overdue}\t{a.young}\t{credits}", file=out)
    return EXIT_OK


def _import(args, db, out: TextIO) -> int:
    path = Path(args.file)
    if args.preview:
        outcome = sx.preview(db, path)
    else:
        outcome = sx.import_package(db, path, receipt_out=Path(args.receipt_out) if args.receipt_out else None)
    # «Пакет … загружен» agrees in gender whatever the kind («изменения», «каталог»); a receipt is «учтена».
    head = f"Пакет № {outcome.sequence} ({outcome.kind_label}) от «{outcome.sender}»"
    if outcome.kind == "receipt":
        state = "уже была учтена; ничего не изменилось" if outcome.already_imported else \
            f"учтена: {outcome.acknowledged} принят, следующий пакет начнётся после него"
        print(f"{outcome.kind_label.capitalize()} № {outcome.sequence} от «{outcome.sender}»: {state}.", file=out)
    elif outcome.already_imported:
        print(f"{head} уже был загружен; в базе ничего не изменилось.", file=out)
    else:
        verb = "будет загружен" if args.preview else "загружен"
        print(f"{head} {verb}:", file=out)
        if outcome.kind == "delta":
            print(f"Персональные данные: {sx.PERSONAL_DATA_LEVELS.get(outcome.personal_data, '?')}.", file=out)
        if outcome.aggregates:
            print(f"Сводные показатели по организациям: {outcome.aggregates}.", file=out)
        if outcome.pseudonym_key:
            print("В каталоге ключ псевдонимизации региона: теперь можно выгружать псевдонимизированные пакеты.",
                  file=out)
        _changes_table(outcome, out)
    if outcome.backup_path:
        print(f"Резервная копия перед загрузкой: {outcome.backup_path}", file=out)
    if outcome.receipt_path:
        print(f"Квитанция для отправителя сохранена: {outcome.receipt_path}", file=out)
    return EXIT_OK
