"""`stats` and `list`: how many records of each kind, and the records of one kind (search, filters, JSON)."""
from __future__ import annotations

import argparse
import sys

from app.cli.common import EXIT_OK, print_json
from app.cli.security import open_signed_in
from app.services.common.errors import ServiceError


def register_stats(sub) -> None:
    stats = sub.add_parser("stats", help="число записей каждого вида")
    stats.add_argument("--json", action="store_true", help="вывести объект JSON")
    stats.set_defaults(run=cmd_stats)


def register_list(sub) -> None:
    lst = sub.add_parser("list", help="список записей")
    lst.add_argument("entity", metavar="ВИД", help="organizations, teachers, programmes, events, … (см. list --help)")
    lst.add_argument("--search", metavar="ТЕКСТ", help="поиск без учёта регистра, ё = е")
    lst.add_argument("--limit", type=int, metavar="N", help="не больше N записей")
    lst.add_argument("--json", action="store_true", help="вывести массив JSON")
    lst.add_argument("--deleted", action="store_true", help="показать удалённые (корзина)")
    add_filter_argument(lst)
    lst.add_argument("--unmasked", action="store_true",
                     help="СНИЛС, телефон и почту без маскирования (нужно право видеть персональные данные)")
    lst.set_defaults(run=cmd_list)


def add_filter_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filter", action="append", default=[], metavar="ПОЛЕ=ЗНАЧЕНИЕ",
                        help="отбор по полю, можно несколько раз: list events --filter plan_year=2025 "
                             "--filter kind=семинар")


def parse_filters(items: list[str] | None) -> dict[str, str]:
    """`--filter kind=семинар` → {"kind": "семинар"}; an enum value may be given by its Russian label."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ServiceError(f"--filter «{item}»: ожидается ПОЛЕ=ЗНАЧЕНИЕ, например plan_year=2025.")
        out[name.strip()] = value.strip()
    return out


def cmd_stats(args) -> int:
    from app.services.registry.overview import stats
    from app.services.registry.specs import spec_for

    counts = stats(open_signed_in(args))
    if args.json:
        print_json(counts)
    else:
        for key, n in counts.items():
            print(f"{spec_for(key).title}: {n}")
    return EXIT_OK


def cmd_list(args) -> int:
    from app.services.access.personal_data import mask_for_export
    from app.services.common.fields import to_json
    from app.services.registry.service import RecordService

    if args.limit is not None and args.limit < 0:
        raise ServiceError("--limit не может быть отрицательным.")
    filters = parse_filters(getattr(args, "filter", None))
    service = RecordService(open_signed_in(args))
    result = service.list(args.entity, search=args.search, limit=args.limit, deleted=args.deleted, filters=filters)
    mask_for_export(service.db, args.entity, result.rows, args.unmasked)
    if args.json:
        print_json([{k: to_json(v) for k, v in row.items()} for row in result.rows])
        return EXIT_OK
    print("\t".join(["id"] + [c.label for c in result.columns]))
    for row in result.rows:
        print("\t".join([row["id"]] + service.display_row(args.entity, row)))
    print(f"Найдено: {len(result.rows)}", file=sys.stderr)
    return EXIT_OK
