"""`gui` (and no command at all): the graphical interface, or a hint where there is no display."""
from __future__ import annotations

import sys

from app.cli.common import EXIT_REFUSED

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


def register(sub) -> None:
    p = sub.add_parser("gui", help="запустить графический интерфейс")
    p.add_argument("--screenshot", metavar="ФАЙЛ.png",
                   help="открыть главное окно (вход — как у команд: --user и пароль), сохранить его снимок "
                        "и выйти; проверка сборки")
    p.set_defaults(run=cmd_gui)


def has_display() -> bool:
    from app.ui.shell.splash import has_display as display_present

    return display_present()


def cmd_gui(args) -> int:
    if getattr(args, "screenshot", None):
        return _screenshot(args)
    if not has_display():
        print(HEADLESS_HINT, file=sys.stderr, end="")
        return EXIT_REFUSED
    from app.ui.shell.application import run_gui

    return run_gui(args.db)


def _screenshot(args) -> int:
    from pathlib import Path

    from app.cli.security import open_signed_in
    from app.ui.shell.application import paint_once

    out = Path(args.screenshot)
    if not out.parent.is_dir():
        print(f"Ошибка: папки {out.parent} нет.", file=sys.stderr)
        return EXIT_REFUSED
    code = paint_once(open_signed_in(args), out)
    print(f"Снимок главного окна: {out}")
    return code
