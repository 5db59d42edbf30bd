"""«Импорт…» under a list: the import dialog for that list's records."""
from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.ui.common.record_page import RecordPage
from app.ui.importing.dialog import ImportDialog

# Lists a spreadsheet can be imported into (spreadsheet_import.KINDS but the year plan, imported on its page).
IMPORTABLE = ("teachers", "organizations", "programmes", "diagnostics")


class ImportAction(QObject):
    def __init__(self, page: RecordPage):
        super().__init__(page)
        self.page = page
        self.button = page.add_action(
            "importButton", "Импорт…", f"Загрузить записи ({page.spec.title.lower()}) из таблицы Excel, ODS или CSV",
            self.run, on_empty_list="Загрузить из таблицы Excel…")

    @Slot()
    def run(self) -> bool:
        """The import dialog; the list re-reads when the import changed the base."""
        service = self.page.service
        result = ImportDialog.run(self.page, service.db, self.page.entity, actor=service.actor)
        if result is None or not result.committed:
            return False
        self.page.after_change()
        return True
