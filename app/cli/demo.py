"""`demo`: fill the database with demonstration data (and the demo accounts)."""
from __future__ import annotations

import sys

from app.cli.common import EXIT_OK
from app.cli.security import open_signed_in


def register(sub) -> None:
    demo = sub.add_parser("demo", help="заполнить базу демонстрационными данными")
    demo.add_argument("--teachers", type=int, default=2000, metavar="N", help="число педагогов (100–100000)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="зерно генератора (одинаковое — одинаковые данные)")
    demo.add_argument("--password", default="demo", metavar="ПАРОЛЬ",
                      help="пароль демонстрационных учётных записей admin, metodist, expert, viewer (по умолчанию demo)")
    demo.set_defaults(run=cmd_demo)


def cmd_demo(args) -> int:
    from app.services.accounts.accounts import create_demo_accounts
    from app.services.demo.generator import generate_demo

    db = open_signed_in(args)

    def progress(fraction: float, message: str) -> None:
        print(f"\r{int(fraction * 100):3d}%  {message[:60]:<60}", end="", file=sys.stderr, flush=True)

    result = generate_demo(db, args.teachers, args.seed, progress=progress)
    print(file=sys.stderr)
    total = sum(result.counts.values())
    print(f"Создано записей: {total} за {result.seconds:.1f} с (педагогов: {args.teachers}).")
    made = create_demo_accounts(db, args.password)
    if made:
        print(f"Учётные записи: {', '.join(f'{a.login} ({a.role_label.lower()})' for a in made)}; "
              f"пароль у всех: «{args.password}».")
    return EXIT_OK
