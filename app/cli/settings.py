"""`settings deadlines [--request-days N …]`: the centre's control windows, shown or changed (one audited write)."""
from __future__ import annotations

import sys
from typing import TextIO

from app.cli.common import EXIT_OK, EXIT_REFUSED
from app.cli.security import open_signed_in
from app.services.common.errors import ServiceError

OPTIONS = (("request_days", "--request-days"), ("review_days", "--review-days"),
           ("agreement_days", "--agreement-days"), ("pd_warn_months", "--pd-months"))


def register(sub) -> None:
    st = sub.add_parser("settings", help="настройки центра: сроки контроля")
    kinds = st.add_subparsers(dest="settings_command", metavar="ЧТО", required=True)
    dl = kinds.add_parser("deadlines", help="сроки контроля: показать или изменить",
                          description="За сколько дней «На контроле» и фильтры списков показывают подходящие сроки "
                                      "ответа на запросы, экспертизы и окончания договоров, и за сколько месяцев — "
                                      "срок повышения квалификации. Без параметров — показать.")
    for name, flag in OPTIONS:
        dl.add_argument(flag, dest=name, type=int, metavar="N")
    st.set_defaults(run=lambda args: cmd_settings(args, open_signed_in(args)))


def cmd_settings(args, db, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from app.services.registry.deadline_settings import SETTINGS, deadline_windows, save_windows

    out = out or sys.stdout
    err = err or sys.stderr
    changes = {name: getattr(args, name) for name, _flag in OPTIONS if getattr(args, name) is not None}
    try:
        windows = save_windows(db, changes) if changes else deadline_windows(db)
    except ServiceError as exc:
        print(f"Ошибка: {exc}", file=err)
        return EXIT_REFUSED
    for w in SETTINGS:
        print(f"{w.label}: {getattr(windows, w.name)} {w.unit}", file=out)
    return EXIT_OK
