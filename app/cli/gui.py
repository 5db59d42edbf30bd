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
    sub.add_parser("gui", help="запустить графический интерфейс").set_defaults(run=cmd_gui)


def has_display() -> bool:
    from app.ui.shell.splash import has_display as display_present

    return display_present()


def cmd_gui(args) -> int:
    if not has_display():
        print(HEADLESS_HINT, file=sys.stderr, end="")
        return EXIT_REFUSED
    from app.ui.shell.application import run_gui

    return run_gui(args.db)
