"""Opening the database for the window.

A damaged file is offered its latest good backup; a file another copy of the
program holds, or one on a network share, is refused with a clear message;
the first start of a day keeps a backup (app/ui/shell/service_menu.py starts it
off the GUI thread once the window is up).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.services.maintenance import backups
from app.services.common.bootstrap import (DatabaseInUse, PasswordRequired, SchemaError, data_folder_warning,
                                           database_file, open_database)
from app.services.maintenance.operations import BackupError
from app.ui.shell.splash import close_splash

APP_TITLE = "МетодСеть"


def ask_recover(parent: QWidget | None, path: Path, problem: str, backup: Path) -> bool:
    """«База повреждена … восстановить из копии?» — True to restore. Tests replace this function."""
    close_splash()
    box = QMessageBox(QMessageBox.Icon.Critical, APP_TITLE, f"База данных {path} повреждена: {problem}.",
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText(f"Последняя исправная резервная копия: {backup}.\n\nВосстановить базу из неё? "
                           "Повреждённый файл будет сохранён рядом под другим именем.")
    restore = box.addButton("Восстановить из копии", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Выйти", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def warn_about_data_folder(parent: QWidget | None) -> None:
    """A read-only or network data folder: said once at start, then the program goes on. Tests replace it."""
    warning = data_folder_warning()
    if warning:
        close_splash()
        QMessageBox.warning(parent, APP_TITLE, warning)


def set_up_centre(db, choices) -> bool:
    """The first-run wizard's answers made true on the new database; False (the user told why) if refused."""
    from app.services.common.errors import ServiceError, ValidationFailed, describe_os_error
    from app.sync.exchange import SyncError
    from app.ui.shell.first_run_setup import apply_choices

    try:
        apply_choices(db, choices)
    except (ServiceError, ValidationFailed, SyncError, OSError) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        show_refusal(None, f"Не удалось завершить первую настройку: {reason}\n\nБаза создана: {db.describe()}. "
                           "При следующем запуске войдите в неё (если администратор уже создан) и закончите "
                           "настройку в разделе «Обмен с регионом».")
        return False
    return True


def show_refusal(parent: QWidget | None, text: str) -> None:
    """Why the program cannot start on this database. Tests replace this function."""
    close_splash()
    QMessageBox.critical(parent, APP_TITLE, text)


def open_for_window(db_arg: str | None, parent: QWidget | None = None):
    """(db, migration result), or None when the program should not start (the user was told why)."""
    path = database_file(db_arg)
    problem = backups.damage(path) if path is not None else None
    if problem:
        good = backups.latest_good_backup(path)
        if good is None:
            show_refusal(parent, f"Не удалось открыть базу данных {path}: файл повреждён ({problem}).\n\n"
                                 "Исправных резервных копий рядом с ним не найдено. Обратитесь к администратору.")
            return None
        if not ask_recover(parent, path, problem, good):
            return None
        try:
            backups.recover_from_backup(path, good)
        except BackupError as exc:
            show_refusal(parent, str(exc))
            return None
    password = None
    for _attempt in range(3):
        try:
            db, migration = open_database(db_arg, exclusive=True, password=password)
        except PasswordRequired as refused:
            password = ask_server_password(parent, refused.user_at(db_arg), str(refused) if password else "")
            if password is None:
                return None
            continue
        except (SchemaError, DatabaseInUse) as exc:
            show_refusal(parent, str(exc))
            return None
        return db, migration
    show_refusal(parent, "Не удалось подключиться к серверу: пароль не подошёл три раза.")
    return None


def ask_server_password(parent: QWidget | None, who: str, error: str = "") -> str | None:
    """The server's password, typed now and kept in memory only; None when cancelled. Tests replace it."""
    text = (f"{error}\n\n" if error else "") + f"Пароль ({who}):"
    value, ok = QInputDialog.getText(parent, "Пароль сервера PostgreSQL", text, QLineEdit.EchoMode.Password)
    return value if ok else None
