"""The «Сертификаты» tab of «Мероприятия»: the register of issued certificates.

Read-only by design — a register entry is never edited; it can only be
revoked with a reason (and a new certificate issued from the event). Search
by name, number, code or event; a double click shows the full entry as the
verification does; «Сохранить PDF…» reprints the selected certificate.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Slot
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QPushButton, QWidget

from app.services.events.certificates import (
    CertificateRecord, count_certificates, list_certificates, local_time, revoke,
)
from app.services.common.errors import ServiceError
from app.ui.common import messages
from app.ui.events.certificate_verify_dialog import REVOKED_COLOUR, VerifyCertificateDialog
from app.ui.development.pd_reports import ReportTab, RowStyle
from app.ui.common.record_table import SEARCH_DELAY_MS, search_field
from app.ui.common.rows_table_model import CardColumn

# The newest entries shown; a search narrows a register of tens of thousands to what is wanted.
SHOWN_LIMIT = 500
# Longest a column starts (pixels) by its label; the rest fit their contents.
COLUMN_CAPS = {"Кому выдан": 230, "Мероприятие": 260, "Роль": 140}

COLUMNS = (
    CardColumn("Номер", lambda r: r.number),
    CardColumn("Кому выдан", lambda r: r.recipient_name),
    CardColumn("Мероприятие", lambda r: r.event_title),
    CardColumn("Даты", lambda r: r.dates_text),
    CardColumn("Роль", lambda r: r.role),
    CardColumn("Часы", lambda r: r.hours or None, numeric=True),
    CardColumn("Код проверки", lambda r: r.code),
    CardColumn("Выдан", lambda r: f"{local_time(r.issued_at):%d.%m.%Y}"),
    CardColumn("Состояние", lambda r: r.status_label),
)


def ask_revoke_reason(parent: QWidget | None, record: CertificateRecord) -> str | None:
    """The reason for revoking; None if cancelled (tests replace this function)."""
    text, ok = QInputDialog.getText(
        parent, "Отзыв сертификата",
        f"Сертификат № {record.number} ({record.recipient_name}) станет недействительным; при проверке "
        "кода будет видно, что он отозван.\n\nПричина отзыва:")
    return text if ok else None


class CertificateRegisterTab(ReportTab):
    key = "certificates"
    label = "Сертификаты"
    hint = ("Реестр выданных сертификатов участников. Выдача — кнопкой «Сертификаты…» на вкладке "
            "«Мероприятия». Двойной щелчок — полные сведения, как при проверке кода.")
    columns = COLUMNS
    opens_teachers = False

    def __init__(self, service, parent: QWidget | None = None):
        self.total = 0
        super().__init__(service, parent)
        # The actions go under the table: the top row must fit a 760-pixel window.
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addStretch(1)
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.revoke_button)
        outer = self.layout()
        outer.insertLayout(outer.count() - 1, actions)

    def add_controls(self, layout: QHBoxLayout) -> None:
        self.search_field = search_field(self, "Поиск по ФИО, номеру, коду, мероприятию…")
        self.search_field.setMinimumWidth(200)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_field.textChanged.connect(lambda _text: self._search_timer.start())
        self.verify_button = QPushButton("Проверить сертификат…", self)
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setToolTip("Сведения реестра по коду проверки с сертификата")
        self.verify_button.clicked.connect(lambda: self.open_verify())
        self.pdf_button = QPushButton("Сохранить PDF…", self)
        self.pdf_button.setToolTip("Сертификат выбранной строки ещё раз, как он был выдан")
        self.pdf_button.clicked.connect(self.save_selected_pdf)
        self.revoke_button = QPushButton("Отозвать…", self)
        self.revoke_button.setToolTip("Сделать сертификат недействительным (с указанием причины)")
        self.revoke_button.clicked.connect(self.revoke_selected)
        layout.addWidget(self.search_field, 1)

    @Slot()
    def fit_columns(self) -> None:
        """Numbers, codes and dates in full; names and titles capped (their tooltips hold the rest)."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column, spec in enumerate(self.columns):
            cap = COLUMN_CAPS.get(spec.label)
            if cap is not None and header.sectionSize(column) > cap:
                header.resizeSection(column, cap)
        header.setStretchLastSection(True)

    def read_rows(self) -> list[CertificateRecord]:
        self._search_timer.stop()
        text = self.search_field.text()
        rows = list_certificates(self._service.db, search=text, limit=SHOWN_LIMIT)
        self.total = len(rows) if len(rows) < SHOWN_LIMIT else count_certificates(self._service.db, search=text)
        return rows

    def row_style(self, row: CertificateRecord) -> RowStyle | None:
        if row.is_valid:
            return None
        return RowStyle(foreground=REVOKED_COLOUR, tooltip=f"Отозван: {row.revoked_reason}")

    def count_text(self, rows: list[CertificateRecord]) -> str:
        if self.total > len(rows):
            return f"Показаны последние {len(rows)} из {self.total:,}; уточните поиск".replace(",", "\u00a0")
        revoked = sum(1 for r in rows if not r.is_valid)
        return f"Сертификатов: {len(rows)}" + (f", из них отозвано: {revoked}" if revoked else "")

    # -- actions ------------------------------------------------------------------------------------
    def selected_record(self) -> CertificateRecord | None:
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else self.table.currentIndex().row()
        return self.model.row_object(row) if 0 <= row < self.model.rowCount() else None

    def open_verify(self, code: str = "") -> VerifyCertificateDialog:
        dialog = VerifyCertificateDialog(self._service.db, self, code)
        dialog.open()
        return dialog

    @Slot(QModelIndex)
    def _on_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_verify(self.model.row_object(index.row()).code)

    @Slot()
    def save_selected_pdf(self) -> str | None:
        record = self.selected_record()
        if record is None:
            messages.show_error(self, "Выберите сертификат в списке.")
            return None
        # reportlab and its QR code cost a third of a second: loaded when a certificate is saved.
        from app.export.pdf_certificates import certificate_file_name, write_certificates_pdf
        from app.ui.events.certificates_dialog import ask_file

        path = ask_file(self, certificate_file_name(record), "pdf")
        if not path:
            return None
        try:
            saved = write_certificates_pdf([record], path)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return None
        self.message_label.setText(messages.saved_text(str(saved)))
        self.message_label.show()
        return str(saved)

    @Slot()
    def revoke_selected(self) -> bool:
        record = self.selected_record()
        if record is None:
            messages.show_error(self, "Выберите сертификат в списке.")
            return False
        if not record.is_valid:
            messages.show_error(self, f"Сертификат № {record.number} уже отозван.")
            return False
        reason = ask_revoke_reason(self, record)
        if reason is None:
            return False
        try:
            revoke(self._service.db, record.id, reason, actor=self._service.actor)
        except ServiceError as exc:
            messages.show_error(self, str(exc))
            return False
        self.refresh()
        self.records_changed.emit("events")
        return True
