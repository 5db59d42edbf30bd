"""Command line interface: the same services as the GUI, for scripts and headless machines.

Every command group is a module of app.cli with ``register(sub)``, which adds
its parsers and sets ``run`` (``run(args) -> exit code``); COMMAND_GROUPS is
the one list of them, in the order ``--help`` shows them.

Exit codes: 0 success; 1 bad input or a refused action (Russian message on
stderr); 2 usage errors (argparse).
"""
from __future__ import annotations

import argparse
import atexit
import io
import os
import sys
import traceback
from datetime import datetime
from typing import Sequence

from app.cli import (audit, demo, document, events, gui, importing, maintenance, records, report, review_steps,
                     security, settings, sync)
from app.cli.common import EXIT_REFUSED, RussianHelpFormatter
from app.cli.security import close_opened, open_signed_in
from app.domain.validators import ValidationError
from app.release import version_line
from app.services.common.bootstrap import data_dir, data_folder_warning
from app.services.common.errors import ServiceError, describe_os_error
from app.storage.backup import BackupError
from app.storage.driver_errors import ServerUnavailable, driver_message
from app.storage.migrate import SchemaError
from app.storage.single_writer import DatabaseInUse


def _register_import(sub) -> None:
    importing.add_import_parser(sub).set_defaults(run=lambda args: importing.cmd_import(args, open_signed_in(args)))


COMMAND_GROUPS = (
    demo.register, records.register_stats, records.register_list, events.register, maintenance.register,
    _register_import, document.register, review_steps.register, report.register, sync.register, security.register,
    audit.register, settings.register, gui.register,
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="metodset", formatter_class=RussianHelpFormatter,
        description="МетодСеть — учёт сетевого взаимодействия муниципальной методической службы. "
                    "Без команды запускается графический интерфейс.")
    p.add_argument("--db", metavar="ПУТЬ_ИЛИ_URL",
                   help="файл базы SQLite или URL SQLAlchemy (по умолчанию — база в папке данных пользователя)")
    p.add_argument("--version", action="version", version=version_line(), help="показать версию программы и выйти")
    security.add_sign_in_option(p)
    p.set_defaults(run=gui.cmd_gui)
    sub = p.add_subparsers(dest="command", metavar="КОМАНДА")
    for register in COMMAND_GROUPS:
        register(sub)
    return p


class _ShownAtExit(io.StringIO):
    """stderr of a windowed build (metodset.exe has no console): what the program would print there — a
    refusal's one Russian line — is shown in a message box when the program ends, instead of nowhere."""

    def show(self) -> None:
        text = self.getvalue().strip()
        if not text:
            return
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            QApplication.instance() or QApplication(sys.argv[:1])
            QMessageBox.critical(None, "МетодСеть", text)
        except Exception:  # noqa: BLE001 - nothing else is left to tell the user with
            pass


def give_windowed_build_streams() -> None:
    """A windowed build starts with ``sys.stdout`` and ``sys.stderr`` set to None."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = _ShownAtExit()
        atexit.register(sys.stderr.show)


def main(argv: Sequence[str] | None = None) -> int:
    give_windowed_build_streams()
    for stream in (sys.stdout, sys.stderr):
        # Windows consoles default to a legacy code page that cannot print Cyrillic.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = build_parser().parse_args(argv)
    try:
        # The window says it itself (run_gui), in a message box: the check is not made twice.
        warning = None if args.run is gui.cmd_gui else data_folder_warning()
        if warning:
            print(f"Предупреждение: {warning}", file=sys.stderr)
        code = args.run(args)
        sys.stdout.flush()      # a closed pipe shows here, inside the handlers below
        return code
    except (ServiceError, SchemaError, BackupError, ValidationError, DatabaseInUse, ServerUnavailable) as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ValueError as exc:
        print(f"Ошибка: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("Прервано пользователем.", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # `list … | head -1`: the reader has gone; stop quietly like other Unix tools.
        quiet_stdout()
        return 0
    except OSError as exc:
        print(f"Ошибка: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - the user gets one line, the log the details
        log = write_error_log(exc)
        print(f"Ошибка: непредвиденный сбой ({driver_message(exc)}). Подробности: {log}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        close_opened()


def quiet_stdout() -> None:
    """Points stdout at the null device so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def write_error_log(exc: BaseException) -> str:
    """Appends the traceback to errors.log in the data folder; returns where (or a note that it could not)."""
    try:
        path = data_dir() / "errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')} metodset {' '.join(sys.argv[1:])}\n")
            f.write("".join(traceback.format_exception(exc)))
        return str(path)
    except OSError:
        return "журнал ошибок не записан"


def console_main() -> None:
    sys.exit(main())


if __name__ == "__main__":
    console_main()
