"""The question asked when the database is empty: demo data or a clean start."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from app.services.demo.generator import MAX_TEACHERS, MIN_TEACHERS

DEFAULT_TEACHERS = 2000


class FirstStartDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Первый запуск")
        self.setModal(True)
        self._choice: int | None = None

        title = QLabel("Добро пожаловать в МетодСеть", self)
        title.setObjectName("dialogTitle")
        text = QLabel(
            "База данных пока пуста. Чтобы познакомиться с программой, её можно заполнить "
            "демонстрационными данными: вымышленные организации, педагоги, программы, мероприятия, "
            "материалы и договоры одного муниципалитета. Реальные персональные данные не используются.\n\n"
            "Если вы сразу начинаете вести учёт, выберите пустую базу.", self)
        text.setWordWrap(True)

        self.teachers_spin = QSpinBox(self)
        self.teachers_spin.setRange(MIN_TEACHERS, MAX_TEACHERS)
        self.teachers_spin.setSingleStep(100)
        self.teachers_spin.setValue(DEFAULT_TEACHERS)
        self.teachers_spin.setGroupSeparatorShown(True)
        self.teachers_spin.setAccelerated(True)
        self.teachers_spin.setMinimumWidth(120)
        spin_label = QLabel("Число педагогов в демонстрационной базе:", self)
        spin_label.setBuddy(self.teachers_spin)
        hint = QLabel("Муниципалитет — 500–5 000 педагогов, регион — до 100 000.", self)
        hint.setObjectName("hintLabel")

        self.demo_button = QPushButton("Заполнить демонстрационными данными", self)
        self.demo_button.setDefault(True)
        self.empty_button = QPushButton("Начать с пустой базы", self)
        self.demo_button.clicked.connect(self._choose_demo)
        self.empty_button.clicked.connect(self._choose_empty)

        spin_row = QHBoxLayout()
        spin_row.addWidget(spin_label)
        spin_row.addWidget(self.teachers_spin)
        spin_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(4)
        layout.addLayout(spin_row)
        layout.addWidget(hint)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.teachers_spin.setFocus(Qt.FocusReason.OtherFocusReason)

    def choice(self) -> int | None:
        """Teachers to generate, or None for an empty database."""
        return self._choice

    def _choose_demo(self) -> None:
        self._choice = self.teachers_spin.value()
        self.accept()

    def _choose_empty(self) -> None:
        self._choice = None
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> int | None:
        """Shows the dialog; the number of demo teachers, or None (empty base, or the window closed)."""
        dialog = cls(parent)
        try:
            return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
