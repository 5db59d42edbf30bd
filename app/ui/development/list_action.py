"""«Маршруты для группы…» under the list of routes: one template, routes for several teachers at once."""
from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.ui.common.record_page import RecordPage


class GroupRoutesAction(QObject):
    def __init__(self, page: RecordPage):
        super().__init__(page)
        self.page = page
        self.button = page.add_action(
            "groupRoutesButton", "Маршруты для группы…",
            "Создать маршруты нескольким педагогам сразу по одному шаблону", self.run)

    @Slot()
    def run(self) -> list[str]:
        """Routes from a template; the teachers may be the «Педагоги» list as filtered."""
        from app.ui.development.group_routes_dialog import GroupRoutesDialog   # with the PDF writer, on demand

        teachers = getattr(self.page.window(), "record_page", lambda _e: None)("teachers")
        current = ([teachers.model.record_id(r) for r in range(teachers.model.rowCount())]
                   if isinstance(teachers, RecordPage) else [])
        created = GroupRoutesDialog.ask(self.page, self.page.service, current)
        if created:
            self.page.after_change(created[0])
        return created
