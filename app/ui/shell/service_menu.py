"""The «Сервис» menu of the main window: accounts, audit log, backups, control windows, password; who is signed in."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from app.services.maintenance import backups
from app.services.access import permissions
from app.services.access.permissions import EDIT_RECORDS, MANAGE_ACCOUNTS, MANAGE_BACKUPS, VIEW_AUDIT
from app.ui.common.task_runner import Task

BACKUP_WAIT_MS = 120_000


def install_service_menu(window: QMainWindow, db) -> dict[str, QAction]:
    menu = window.menuBar().addMenu("Сервис")
    account = permissions.current(db)
    actions: dict[str, QAction] = {}
    window._service_dialogs = {}          # one window of each kind; kept so it is not garbage-collected

    def show(key: str, factory) -> None:
        dialog = window._service_dialogs.get(key)
        if dialog is None or not dialog.isVisible():
            dialog = factory()
            window._service_dialogs[key] = dialog
        dialog.show()
        dialog.raise_()

    def add(key: str, text: str, permission: str | None, factory) -> None:
        if permission is not None and not permissions.has(db, permission):
            return
        action = menu.addAction(text)
        action.triggered.connect(lambda: show(key, factory))
        actions[key] = action

    def accounts_dialog():
        from app.ui.accounts.accounts_page import AccountsDialog
        return AccountsDialog(db, window)

    def audit_dialog():
        from app.ui.accounts.audit_page import AuditDialog
        return AuditDialog(db, window)

    def backups_dialog():
        from app.ui.maintenance.backups_page import BackupsDialog
        dialog = BackupsDialog(db, window)
        if hasattr(window, "refresh"):
            dialog.restored.connect(window.refresh)
        return dialog

    def deadlines_dialog():
        from app.ui.reports.deadlines_dialog import DeadlinesDialog
        dialog = DeadlinesDialog(db, window)
        if hasattr(window, "refresh"):
            dialog.saved.connect(window.refresh)
        return dialog

    def centre_dialog():
        from app.ui.sync.centre_dialog import CentreDialog
        return CentreDialog(db, window)

    def password_dialog():
        from app.ui.accounts.login_dialog import ChangePasswordDialog
        return ChangePasswordDialog(db, window)

    if account is not None:
        add("accounts", "Учётные записи…", MANAGE_ACCOUNTS, accounts_dialog)
    add("audit", "Журнал изменений…", VIEW_AUDIT, audit_dialog)
    add("backups", "Резервные копии…", MANAGE_BACKUPS, backups_dialog)
    add("deadlines", "Сроки контроля…", EDIT_RECORDS, deadlines_dialog)
    if account is not None:
        add("centre", "Параметры центра…", MANAGE_ACCOUNTS, centre_dialog)
    if account is not None:
        menu.addSeparator()
        add("password", "Сменить пароль…", None, password_dialog)
        label = QLabel(f"Пользователь: {account.login} ({account.role_label.lower()})", window)
        label.setObjectName("accountLabel")
        window.statusBar().addPermanentWidget(label)
        window.account_label = label
    window.service_actions = actions
    if not permissions.has(db, EDIT_RECORDS):
        _hide_editing(window)
    return actions


class _WaitOnClose(QObject):
    """Holds the window's close until the daily backup has finished writing its file."""

    def __init__(self, task: Task, parent: QObject):
        super().__init__(parent)
        self._task = task

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Close and self._task.is_running():
            self._task.wait(BACKUP_WAIT_MS)
        return False


def start_daily_backup(window: QMainWindow, db) -> Task:
    """The first start of a day copies the database — seconds on a regional one, so off the GUI thread."""
    task = Task(lambda progress, is_cancelled: backups.daily_backup(db), window)
    task.succeeded.connect(lambda path: path and window.statusBar().showMessage(
        f"Ежедневная резервная копия: {path}", 10_000))
    task.failed.connect(lambda exc: window.statusBar().showMessage(
        f"Не удалось сделать ежедневную резервную копию: {exc}", 20_000))
    window.installEventFilter(_WaitOnClose(task, window))
    window.daily_backup_task = task
    task.start()
    return task


def _hide_editing(window: QMainWindow) -> None:
    """Roles that may not add or delete records do not see those buttons (the services refuse them anyway);
    «Изменить» stays: it opens the form, where an expert fills in their review."""
    for section_page in getattr(window, "pages", {}).values():
        for page in getattr(section_page, "record_pages", {}).values():
            page.create_button.hide()
            page.delete_button.hide()
            page.empty_create_button.hide()
            for name in ("importButton", "importButtonOnEmptyList", "duplicatesButton"):
                button = page.findChild(QPushButton, name)
                if button is not None:
                    button.hide()
    first_steps = getattr(getattr(window, "dashboard", None), "first_steps", None)
    if first_steps is not None:
        for button in (first_steps.organizations_button, first_steps.teachers_button, first_steps.demo_button):
            button.hide()
