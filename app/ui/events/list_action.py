"""«Сертификаты…» under the list of events: the certificates of the chosen event."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from app.services.common.errors import ServiceError
from app.ui.common import messages
from app.ui.common.record_page import RecordPage

if TYPE_CHECKING:
    from app.ui.events.certificates_dialog import CertificatesDialog


class CertificatesAction(QObject):
    def __init__(self, page: RecordPage):
        super().__init__(page)
        self.page = page
        self.button = page.add_action(
            "certificatesButton", "Сертификаты…",
            "Сертификаты участников выбранного мероприятия: выдача, PDF, архив ZIP", self.open,
            needs_selection=True)

    @Slot()
    def open(self) -> "CertificatesDialog | None":
        from app.ui.events.certificates_dialog import CertificatesDialog   # reportlab loads with it, on demand

        event_id = self.page.selected_id()
        if event_id is None:
            return None
        service = self.page.service
        try:
            dialog = CertificatesDialog(service.db, service.actor, event_id, self.page)
        except ServiceError as exc:
            messages.show_error(self.page, str(exc))
            return None
        dialog.changed.connect(lambda: self.page.records_changed.emit(self.page.entity))
        dialog.open()
        return dialog
