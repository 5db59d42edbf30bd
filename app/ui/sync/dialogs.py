"""Dialogs of the exchange section: the first-start setup form, the import preview and the keys' passphrase."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from app.sync import exchange as sx
from app.ui.common.messages import error_line

COUNT_COLUMNS = (("new", "Новых"), ("updated", "Изменится"), ("deleted", "Удалится"),
                 ("unchanged", "Без изменений"), ("merged", "Слито по СНИЛС"))


class SetupForm(QWidget):
    """Shown until the installation has a profile and keys."""

    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        intro = QLabel(
            "Чтобы обмениваться данными с региональным центром, настройте эту установку. Будут созданы ключи "
            "подписи и шифрования; закрытые ключи остаются только на этом компьютере, в папке данных "
            "пользователя.", self)
        intro.setWordWrap(True)
        self.role = QComboBox(self)
        for key, label in sx.ROLES.items():
            self.role.addItem(label[:1].upper() + label[1:], key)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("например, 46-231")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("например, ММЦ Курского района")
        self.error = QLabel("", self)
        self.error.setObjectName("errorText")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.submit = QPushButton("Создать ключи и начать обмен", self)
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._submit)
        form = QFormLayout()
        # Labels above the fields: the form must not widen the main window's minimum.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow("Роль установки", self.role)
        form.addRow("Код муниципалитета (региона)", self.code)
        form.addRow("Название установки", self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.submit)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def _submit(self) -> None:
        self.submitted.emit(self.role.currentData(), self.code.text(), self.name.text())


class PreviewDialog(QDialog):
    """What a package will change, per section; the user applies it or cancels."""

    def __init__(self, outcome: sx.ImportOutcome, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Загрузка пакета")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.outcome = outcome
        head = f"{outcome.kind_label.capitalize()} № {outcome.sequence} от «{outcome.sender}»."
        if outcome.kind == "receipt":
            text = head + (" Эта квитанция уже учтена; ничего не изменится." if outcome.already_imported else
                           f" Регион подтверждает приём: {outcome.acknowledged}. Следующий пакет изменений "
                           "начнётся после него.")
        elif outcome.already_imported:
            text = head + " Этот пакет уже загружен; в базе ничего не изменится."
        else:
            totals = outcome.totals()
            text = (head + f" Новых записей: {totals['new']}, изменится: {totals['updated']}, удалится: "
                    f"{totals['deleted']}. Перед загрузкой будет сделана резервная копия базы.")
            if outcome.kind == "delta":
                text += f" Персональные данные: {sx.PERSONAL_DATA_LEVELS.get(outcome.personal_data, '?')}."
            if outcome.aggregates:
                text += f" Сводные показатели организаций: {outcome.aggregates}."
        self.summary = QLabel(text, self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(outcome.changes), len(COUNT_COLUMNS) + 1, self)
        self.table.setHorizontalHeaderLabels(["Раздел"] + [label for _key, label in COUNT_COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (table, counts) in enumerate(outcome.changes.items()):
            self.table.setItem(row, 0, QTableWidgetItem(sx.entity_label(table)))
            for col, (key, _label) in enumerate(COUNT_COLUMNS, start=1):
                item = QTableWidgetItem(str(counts.get(key, 0)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(bool(outcome.changes))
        self.receipt = QCheckBox("Сохранить квитанцию о приёме для отправителя", self)
        self.receipt.setChecked(outcome.kind == "delta")
        self.receipt.setVisible(outcome.kind == "delta")
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Загрузить", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(not outcome.already_imported or outcome.kind == "delta")
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.receipt)
        layout.addWidget(buttons)
        self.resize(720, 420)


class PassphraseDialog(QDialog):
    """Asks the keys' passphrase: to unlock them (one field) or to set a new one (typed twice)."""

    def __init__(self, parent: QWidget | None = None, *, new: bool = False, error: str = ""):
        super().__init__(parent)
        self.new = new
        self.setWindowTitle("Пароль ключей обмена")
        self.setModal(True)
        hint = QLabel("Новый пароль закрытых ключей (не короче 8 символов). Без него пакеты не выгрузить и не "
                      "загрузить; если он забыт, ключи придётся создать заново." if new else
                      "Ключи этой установки защищены паролем. Введите его, чтобы подписывать и читать пакеты; "
                      "до закрытия программы он больше не спрашивается.", self)
        hint.setWordWrap(True)
        self.first = QLineEdit(self)
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit(self)
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = error_line(self, error)
        form = QFormLayout()
        form.addRow("Пароль:" if not new else "Новый пароль:", self.first)
        if new:
            form.addRow("Ещё раз:", self.second)
        else:
            self.second.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Готово")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self.new and self.first.text() != self.second.text():
            self.error.setText("Пароли не совпадают.")
            return
        self.accept()

    def passphrase(self) -> str:
        return self.first.text()
