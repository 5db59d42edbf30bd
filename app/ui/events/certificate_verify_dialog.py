"""«Проверить сертификат»: a typed (or scanned) code → the full register entry.

The dialog shows everything the register says — name, event, dates, hours,
role, number, when issued and whether revoked — not a bare «действителен»:
whoever checks compares it with the paper, so an edited PDF is caught.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget,
)

from app.services.events.certificates import CertificateRecord, verify
from app.services.common.errors import ServiceError
from app.ui.common import messages
from app.ui.common.messages import dialog_heading

VALID_COLOUR = "#1e6b34"
REVOKED_COLOUR = "#a61b1b"


def record_html(record: CertificateRecord) -> str:
    """The register entry as a two-column table, the state coloured."""
    rows = []
    for label, value in record.lines():
        cell = escape(value)
        if label == "Состояние":
            colour = VALID_COLOUR if record.is_valid else REVOKED_COLOUR
            cell = f"<b style='color:{colour}'>{cell}</b>"
        elif label in ("Кому выдан", "Номер", "Код проверки"):
            cell = f"<b>{cell}</b>"
        rows.append(f"<tr><td style='color:#5a6272; padding:2px 14px 2px 0'>{escape(label)}</td>"
                    f"<td style='padding:2px 0'>{cell}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def verdict_text(record: CertificateRecord) -> str:
    if record.is_valid:
        return ("Сертификат есть в реестре. Сравните сведения ниже с предъявленным документом: "
                "если они расходятся, документ изменён.")
    return "Сертификат есть в реестре, но ОТОЗВАН. Он недействителен."


class VerifyCertificateDialog(QDialog):
    """A code field, «Проверить», and the register's contents (or a clear message)."""

    def __init__(self, db, parent: QWidget | None = None, code: str = ""):
        super().__init__(parent)
        self._db = db
        self.record: CertificateRecord | None = None
        self.setObjectName("verifyCertificateDialog")
        self.setWindowTitle("Проверка сертификата")

        title, hint = dialog_heading(
            self, "Проверка сертификата участника",
            "Введите код проверки с сертификата (или считайте QR-код сканером). Регистр букв, "
            "пробелы и дефисы не важны.")
        self.code_field = QLineEdit(self)
        self.code_field.setObjectName("codeField")
        self.code_field.setPlaceholderText("Код проверки, например 7K3M-9QX2-AB")
        self.code_field.setClearButtonEnabled(True)
        self.code_field.returnPressed.connect(self.check)
        self.check_button = QPushButton("Проверить", self)
        self.check_button.setObjectName("checkButton")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        self.verdict_label = QLabel(self)
        self.verdict_label.setObjectName("verdictLabel")
        self.verdict_label.setWordWrap(True)
        # A text browser scrolls when a long title or a revocation reason does not fit.
        self.result_view = QTextBrowser(self)
        self.result_view.setObjectName("resultView")
        self.result_view.setOpenLinks(False)
        self.result_view.setFrameShape(QFrame.Shape.NoFrame)
        close = QPushButton("Закрыть", self)
        close.clicked.connect(self.accept)

        row = QHBoxLayout()
        row.addWidget(self.code_field, 1)
        row.addWidget(self.check_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.result_view, 1)
        layout.addLayout(bottom)
        messages.fit_to_screen(self, 680, 560)
        self._clear()
        if code:
            self.code_field.setText(code)
            self.check()

    def _clear(self) -> None:
        self.verdict_label.setText("")
        self.verdict_label.hide()
        self.result_view.clear()

    @Slot()
    def check(self) -> CertificateRecord | None:
        """Looks the code up; shows the register entry or the Russian reason it was not found."""
        self._clear()
        self.record = None
        try:
            record = verify(self._db, self.code_field.text())
        except ServiceError as exc:
            self._show_verdict(str(exc), REVOKED_COLOUR)
            return None
        self.record = record
        self._show_verdict(verdict_text(record), VALID_COLOUR if record.is_valid else REVOKED_COLOUR)
        self.result_view.setHtml(record_html(record))
        return record

    def _show_verdict(self, text: str, colour: str) -> None:
        self.verdict_label.setText(text)
        self.verdict_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.verdict_label.show()

    def result_text(self) -> str:
        """What the dialog shows, as plain text (for tests and copying)."""
        rows = [self.verdict_label.text()]
        if self.record is not None:
            rows += [f"{label}: {value}" for label, value in self.record.lines()]
        return "\n".join(rows)
