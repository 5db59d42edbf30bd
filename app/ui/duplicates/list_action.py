"""«Дубликаты» under the list of teachers: probable duplicates, merging them and the merge log."""
from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.ui.common.record_page import RecordPage
from app.ui.duplicates.duplicates_dialog import DuplicatesDialog


class DuplicatesAction(QObject):
    def __init__(self, page: RecordPage):
        super().__init__(page)
        self.page = page
        self.dialog: DuplicatesDialog | None = None
        self.button = page.add_action(
            "duplicatesButton", "Дубликаты",
            "Возможные дубликаты педагогов: просмотр, объединение, журнал объединений", self.open)

    @Slot()
    def open(self) -> DuplicatesDialog:
        if self.dialog is None:
            service = self.page.service
            self.dialog = DuplicatesDialog(service.db, service.actor, self.page)
            self.dialog.changed.connect(lambda: self.page.after_change())
        self.dialog.reload()
        self.dialog.open()
        return self.dialog
