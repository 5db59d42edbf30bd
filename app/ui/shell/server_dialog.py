"""«Файл → Подключиться к серверу PostgreSQL…»: where the shared database lives; remembered for the next start.

The password is never stored: the server's own password file (pgpass) or
PGPASSWORD gives it, or the program asks when it connects (startup.py).
"""
from __future__ import annotations

from urllib.parse import quote

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QVBoxLayout,
                               QWidget)

from app.ui.common.messages import dialog_heading, error_line
from app.ui.common.ui_settings import interface_settings

LOCATION_KEY = "database/location"          # the database the program opens when started without --db
SERVER_KEY = "database/server"              # the last server typed here, to fill the form next time
HINT = ("Общая база региона или крупного центра на сервере PostgreSQL. Пароль не сохраняется: его возьмут из "
        "файла паролей PostgreSQL (pgpass) или спросят при подключении. Программа запомнит сервер и в следующий "
        "раз откроет его.")


def server_url(host: str, port: int, database: str, user: str) -> str:
    host = host.strip() or "localhost"
    netloc = f"{quote(user.strip(), safe='')}@" if user.strip() else ""
    return f"postgresql+psycopg://{netloc}{host}:{port}/{quote(database.strip(), safe='')}"


def remembered_location() -> str | None:
    value = interface_settings().value(LOCATION_KEY, "")
    return str(value) if value else None


def remember_location(location: str | None) -> None:
    settings = interface_settings()
    if location:
        settings.setValue(LOCATION_KEY, location)
    else:
        settings.remove(LOCATION_KEY)
    settings.sync()


class ServerDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Подключение к серверу PostgreSQL")
        self.setModal(True)
        self.setMinimumWidth(460)
        title, hint = dialog_heading(self, "Подключение к серверу", HINT)
        saved = interface_settings()
        self.host = QLineEdit(str(saved.value(SERVER_KEY + "/host", "localhost")), self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(int(saved.value(SERVER_KEY + "/port", 5432)))
        self.database = QLineEdit(str(saved.value(SERVER_KEY + "/database", "metodset")), self)
        self.user = QLineEdit(str(saved.value(SERVER_KEY + "/user", "metodset")), self)
        form = QFormLayout()
        form.addRow("Сервер:", self.host)
        form.addRow("Порт:", self.port)
        form.addRow("База данных:", self.database)
        form.addRow("Пользователь:", self.user)
        self.error = error_line(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Подключиться")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (title, hint):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if not self.database.text().strip():
            self.error.setText("Укажите имя базы данных на сервере.")
            return
        saved = interface_settings()
        for key, value in (("host", self.host.text().strip()), ("port", self.port.value()),
                           ("database", self.database.text().strip()), ("user", self.user.text().strip())):
            saved.setValue(f"{SERVER_KEY}/{key}", value)
        saved.sync()
        self.accept()

    def url(self) -> str:
        return server_url(self.host.text(), self.port.value(), self.database.text(), self.user.text())
