"""Signing in before the main window: the administrator first (set-up mode), then a login dialog.

Neither dialog can be skipped: closing it closes the program. A temporary
password set by the administrator must be changed right after signing in.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.services.accounts import accounts
from app.services.common.errors import ServiceError, ValidationFailed
from app.services.access.permissions import ADMIN
from app.ui.common.messages import error_line


def password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class FormDialog(QDialog):
    """Title, explanation, a form, an error line and OK/Cancel; ``_submit`` does the work."""

    def __init__(self, title: str, text: str, ok_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(420)
        heading = QLabel(title, self)
        heading.setObjectName("dialogTitle")
        explanation = QLabel(text, self)
        explanation.setWordWrap(True)
        self.form = QFormLayout()
        self.error_label = error_line(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _on_ok(self) -> None:
        try:
            self._submit()
        except (ServiceError, ValidationFailed) as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()

    def _submit(self) -> None:
        raise NotImplementedError


class SetupAdminDialog(FormDialog):
    """Set-up mode: the administrator account is created before anything else."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__("Учётная запись администратора",
                         "В базе ещё нет учётных записей. Создайте учётную запись администратора: он заводит "
                         "учётные записи методистов, экспертов и наблюдателей и назначает им роли. "
                         "Без неё работа с базой невозможна.", "Создать и войти", parent)
        self._db = db
        self.login_edit = QLineEdit("admin", self)
        self.name_edit = QLineEdit(self)
        self.password_edit = password_field(self)
        self.repeat_edit = password_field(self)
        self.form.addRow("Имя входа:", self.login_edit)
        self.form.addRow("ФИО:", self.name_edit)
        self.form.addRow("Пароль:", self.password_edit)
        self.form.addRow("Пароль ещё раз:", self.repeat_edit)
        self.password_edit.setFocus()

    def _submit(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            raise ServiceError("Пароли не совпадают.")
        accounts.create_account(self._db, self.login_edit.text(), self.password_edit.text(), ADMIN,
                                full_name=self.name_edit.text())
        accounts.sign_in(self._db, self.login_edit.text(), self.password_edit.text())


class LoginDialog(FormDialog):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__("Вход в МетодСеть", f"База данных: {db.describe()}", "Войти", parent)
        self._db = db
        self.login_edit = QLineEdit(self)
        self.password_edit = password_field(self)
        self.form.addRow("Имя входа:", self.login_edit)
        self.form.addRow("Пароль:", self.password_edit)
        self.login_edit.setFocus()

    def _submit(self) -> None:
        accounts.sign_in(self._db, self.login_edit.text(), self.password_edit.text())


class ChangePasswordDialog(FormDialog):
    def __init__(self, db, parent: QWidget | None = None, *, forced: bool = False):
        text = ("Администратор задал вам временный пароль. Придумайте свой пароль, чтобы продолжить."
                if forced else "Пароль меняется у вашей учётной записи.")
        super().__init__("Смена пароля", text, "Сменить пароль", parent)
        self._db = db
        self.old_edit = password_field(self)
        self.new_edit = password_field(self)
        self.repeat_edit = password_field(self)
        self.form.addRow("Текущий пароль:", self.old_edit)
        self.form.addRow("Новый пароль:", self.new_edit)
        self.form.addRow("Новый пароль ещё раз:", self.repeat_edit)

    def _submit(self) -> None:
        if self.new_edit.text() != self.repeat_edit.text():
            raise ServiceError("Новые пароли не совпадают.")
        accounts.change_password(self._db, self.old_edit.text(), self.new_edit.text())


def run_dialog(dialog: QDialog) -> bool:
    """Shows a modal dialog; tests replace this one function to drive the dialog without blocking."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def sign_in_gui(db, parent: QWidget | None = None) -> bool:
    """Administrator set-up or sign-in (and a forced password change); False when the user gave up."""
    if accounts.is_setup_mode(db):
        return run_dialog(SetupAdminDialog(db, parent))
    if not run_dialog(LoginDialog(db, parent)):
        return False
    if accounts.must_change_password(db):
        if not run_dialog(ChangePasswordDialog(db, parent, forced=True)):
            accounts.sign_out(db)
            return False
    return True
