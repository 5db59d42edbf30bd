"""Account management for the administrator: create, change the role, block, reset the password."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from app.services.accounts import accounts
from app.services.common.errors import ServiceError
from app.services.access.permissions import EXPERT, ROLE_LABELS, ROLES
from app.ui.common import messages
from app.ui.accounts.login_dialog import FormDialog, password_field, run_dialog
from app.ui.common.rows_table_model import CardColumn, RowsTableModel


def _state(a: accounts.AccountView) -> str:
    if a.blocked:
        return "заблокирована"
    if a.locked_until is not None:
        return "вход временно закрыт"
    return "сменить пароль при входе" if a.must_change_password else "действует"


COLUMNS = (
    CardColumn("Имя входа", lambda a: a.login),
    CardColumn("ФИО", lambda a: a.full_name, stretch=True),
    CardColumn("Роль", lambda a: a.role_label),
    CardColumn("Состояние", _state),
    CardColumn("Последний вход", lambda a: a.last_login_at),
)


def _role_combo(parent: QWidget, current: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    for role in ROLES:
        combo.addItem(ROLE_LABELS[role], role)
    if current:
        combo.setCurrentIndex(ROLES.index(current))
    return combo


def _teacher_combo(parent: QWidget, db) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem("— не выбран —", None)
    for teacher_id, name in accounts.expert_candidates(db):
        combo.addItem(name, teacher_id)
    return combo


class NewAccountDialog(FormDialog):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__("Новая учётная запись", "Эксперт видит только назначенные ему материалы: укажите, "
                         "какой педагог проводит экспертизу.", "Создать", parent)
        self._db = db
        self.login_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.role_combo = _role_combo(self, "methodist")
        self.teacher_combo = _teacher_combo(self, db)
        self.password_edit = password_field(self)
        self.form.addRow("Имя входа:", self.login_edit)
        self.form.addRow("ФИО:", self.name_edit)
        self.form.addRow("Роль:", self.role_combo)
        self.form.addRow("Педагог-эксперт:", self.teacher_combo)
        self.form.addRow("Временный пароль:", self.password_edit)

    def _submit(self) -> None:
        role = self.role_combo.currentData()
        teacher = self.teacher_combo.currentData() if role == EXPERT else None
        if role == EXPERT and not teacher:
            raise ServiceError("Для эксперта выберите педагога, которому назначается экспертиза.")
        accounts.create_account(self._db, self.login_edit.text(), self.password_edit.text(), role,
                                full_name=self.name_edit.text(), teacher_id=teacher, must_change_password=True)


class AccountsDialog(QDialog):
    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("Учётные записи")
        messages.fit_to_screen(self, 820, 460)
        self.model = RowsTableModel(COLUMNS, parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.create_button = QPushButton("Создать…", self)
        self.role_button = QPushButton("Роль…", self)
        self.block_button = QPushButton("Заблокировать", self)
        self.unblock_button = QPushButton("Разблокировать", self)
        self.reset_button = QPushButton("Сбросить пароль…", self)
        self.create_button.clicked.connect(self.create_account)
        self.role_button.clicked.connect(self.change_role)
        self.block_button.clicked.connect(lambda: self._act(lambda a: accounts.set_blocked(self._db, a.login, True)))
        self.unblock_button.clicked.connect(lambda: self._act(lambda a: accounts.set_blocked(self._db, a.login, False)))
        self.reset_button.clicked.connect(self.reset_password)
        buttons = QHBoxLayout()
        for b in (self.create_button, self.role_button, self.block_button, self.unblock_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel("После неудачных попыток входа (5 подряд) учётная запись закрывается на "
                      f"{accounts.LOCKOUT_MINUTES} мин.; «Разблокировать» открывает её сразу.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(accounts.list_accounts(self._db))
        self.table.resizeColumnsToContents()

    def selected(self) -> accounts.AccountView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0].row()) if rows else None

    def select_login(self, login: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).login == login:
                self.table.selectRow(row)
                return

    def _act(self, action) -> None:
        account = self.selected()
        if account is None:
            messages.show_error(self, "Выберите учётную запись в списке.")
            return
        try:
            action(account)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
        self.reload()
        self.select_login(account.login)

    def create_account(self) -> None:
        if run_dialog(NewAccountDialog(self._db, self)):
            self.reload()

    def change_role(self) -> None:
        def ask(a):
            labels = [ROLE_LABELS[r] for r in ROLES]
            label, ok = QInputDialog.getItem(self, "Роль", f"Роль учётной записи {a.login}:", labels,
                                             ROLES.index(a.role), False)
            if ok:
                accounts.set_role(self._db, a.login, ROLES[labels.index(label)])
        self._act(ask)

    def reset_password(self) -> None:
        def ask(a):
            password, ok = QInputDialog.getText(self, "Сброс пароля", f"Временный пароль для {a.login}:",
                                                QLineEdit.EchoMode.Password)
            if ok:
                accounts.reset_password(self._db, a.login, password)
        self._act(ask)
