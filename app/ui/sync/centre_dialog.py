"""«Сервис → Параметры центра…»: what the first-run wizard asked about the centre, changed later."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget,
)

from app.services.common.errors import ServiceError
from app.sync import exchange as sx
from app.ui.common.messages import error_line


class CentreDialog(QDialog):
    """The centre's name at any time; its code and role until the first exchange (then they are shown only)."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle("Параметры центра")
        me = sx.profile(db)
        self.name_edit = QLineEdit(me.name if me else "", self)
        self.code_edit = QLineEdit(me.municipality_code if me else "", self)
        self.code_edit.setMaxLength(16)
        self.municipal_button = QRadioButton("Муниципальный методический центр", self)
        self.region_button = QRadioButton("Региональный центр", self)
        group = QButtonGroup(self)
        group.addButton(self.municipal_button)
        group.addButton(self.region_button)
        (self.region_button if me and me.role == "region" else self.municipal_button).setChecked(True)
        exchanged = bool(me) and sx.identity_fixed(db)
        for widget in (self.code_edit, self.municipal_button, self.region_button):
            widget.setEnabled(bool(me) and not exchanged)
        self.name_edit.setEnabled(bool(me))
        form = QFormLayout()
        form.addRow("Название центра:", self.name_edit)
        form.addRow("Код муниципалитета (региона):", self.code_edit)
        form.addRow("Роль:", self.municipal_button)
        form.addRow("", self.region_button)
        note = QLabel(
            "Обмен ещё не настроен: заполните форму в разделе «Обмен с регионом»." if me is None else
            "Код и роль меняются только до первого обмена: партнёры уже знают центр по ним." if exchanged else
            "Код и роль можно менять, пока центр не обменялся ключами с партнёрами.", self)
        note.setWordWrap(True)
        self.error_label = error_line(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(me is not None)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def save(self) -> None:
        try:
            sx.update_installation(self._db, name=self.name_edit.text(), municipality_code=self.code_edit.text(),
                                   role="region" if self.region_button.isChecked() else "municipal")
        except (ServiceError, sx.SyncError) as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()
