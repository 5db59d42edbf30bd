"""The Мероприятия page: the calendar beside the list, copy, series, the year plan in and out."""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from app.services.events import events as ev
from app.services.common.actor import Actor
from app.ui.events.card import EventCardDialog
from app.ui.events.page import EventPlanImportDialog, EventsPage
from app.ui.importing.dialog import ImportDialog
from app.ui.shell.section_page import SectionPage
from app.ui.shell.sections import section
from tests.services.events.conftest import event_values, net  # noqa: F401 - the fixture

ACTOR = Actor("tester")
TASK_TIMEOUT_MS = 15_000


@pytest.fixture
def page(qtbot, db, records, net) -> EventsPage:  # noqa: F811
    ev.create_event(db, ACTOR, event_values(title="Марафон", kind="marathon", starts_on=date(2025, 3, 30),
                                            ends_on=date(2025, 4, 1), plan_year=2025), [net.centre["id"]])
    ev.create_event(db, ACTOR, event_values(title="Вебинар по ФОП", kind="webinar", format="remote",
                                            starts_on=date(2025, 4, 1), plan_year=2025))
    sp = SectionPage(section("events"), records)
    qtbot.addWidget(sp)
    sp.resize(1300, 760)
    sp.show()
    sp.activate()
    p = sp.record_pages["events"]
    assert isinstance(p, EventsPage)
    p.calendar.go_to(date(2025, 4, 1))
    return p


def _when_modal(action):
    """Runs ``action(dialog)`` on the modal dialog that opens next."""
    def run():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        finally:
            if dialog.isVisible():          # a failed step must not leave the test waiting on a modal dialog
                dialog.reject()
    QTimer.singleShot(0, run)


def test_the_calendar_marks_days_and_lists_a_days_events_that_open_their_card(qtbot, page, monkeypatch):
    assert page.calendar.busy_days() == [date(2025, 4, 1)]
    assert page.calendar.day_titles() == ["30.03.2025 – 01.04.2025 · Педагогический марафон «Марафон»",
                                          "01.04.2025 · Вебинар по ФОП"]
    page.calendar.calendar.showPreviousMonth()
    assert page.calendar.busy_days() == [date(2025, 3, 30), date(2025, 3, 31)]
    page.calendar.select_day(date(2025, 3, 31))
    assert page.calendar.day_titles()[0].endswith("«Марафон»")
    page.calendar.select_day(date(2025, 3, 1))
    assert page.calendar.day_titles() == [] and "мероприятий нет" in page.calendar.day_label.text()

    opened = []
    monkeypatch.setattr(EventCardDialog, "open_card",
                        classmethod(lambda cls, parent, service, event_id: opened.append(event_id) or False))
    page.calendar.select_day(date(2025, 3, 31))
    page.calendar.open_row(0)
    assert opened == [page.model.record_id(0)]
    page.table.selectRow(1)
    page.edit_button.click()                     # «Изменить» opens the card too
    assert opened[-1] == page.model.record_id(1)


def test_copy_puts_the_event_on_a_new_date_in_the_list_and_the_calendar(qtbot, page, records):
    page.table.selectRow(0)
    assert page.copy_button.isEnabled()

    def answer(dialog):
        dialog.date_edit.setDate(QDate(2025, 4, 15))
        dialog.submit()

    _when_modal(answer)
    new_id = page.copy_selected()
    copy = records.get("events", new_id)
    assert (copy["title"], copy["starts_on"], copy["ends_on"]) == ("Марафон", date(2025, 4, 15), date(2025, 4, 17))
    assert page.count() == 3 and page.selected_id() == new_id
    assert date(2025, 4, 15) in page.calendar.busy_days()


def test_a_series_of_meetings_is_created_from_the_dialog(qtbot, page, records, net):  # noqa: F811
    page.table.clearSelection()

    def answer(dialog):
        dialog.title_edit.setText("Заседание РМО математиков")
        with qtbot.waitSignal(dialog.community_ref.searched, timeout=2000):
            dialog.community_ref.line.insert("РМО")
        dialog.community_ref.choose(0)
        dialog.start_edit.setDate(QDate(2025, 4, 8))
        dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("two_weeks"))
        dialog.count_spin.setValue(3)
        dialog.submit()

    _when_modal(answer)
    ids = page.create_series()
    assert len(ids) == 3
    dates = [records.get("events", i)["starts_on"] for i in ids]
    assert dates == [date(2025, 4, 8), date(2025, 4, 22), date(2025, 5, 6)]
    assert page.count() == 5
    assert {date(2025, 4, 8), date(2025, 4, 22)} <= set(page.calendar.busy_days())
    assert records.count("participations") == 6            # two community members at each meeting


def test_an_action_added_by_another_feature_follows_the_selection(qtbot, page):
    button = page.add_action("probeButton", "Проба", "", lambda: None, needs_selection=True)
    page.table.clearSelection()
    assert not button.isEnabled()
    page.table.selectRow(0)
    assert button.isEnabled()
    assert page.findChild(QPushButton, "certificatesButton").isEnabled()


def test_export_plan_writes_the_year_in_the_background(qtbot, page, tmp_path, monkeypatch):
    target = tmp_path / "план.xlsx"
    monkeypatch.setattr(EventsPage, "choose_export_path", staticmethod(lambda parent, suggested: str(target)))
    page.year_spin.setValue(2025)
    task = page.export_plan_button.click() or page.export_task
    qtbot.waitUntil(lambda: not task.is_running(), timeout=TASK_TIMEOUT_MS)
    assert page.last_export == target
    ws = openpyxl.load_workbook(target).active
    assert [ws.cell(r, 2).value for r in (4, 5)] == ["Марафон", "Вебинар по ФОП"]
    assert "мероприятий: 2" in page.notice_label.text()


def test_export_plan_proposes_a_dated_russian_name_in_documents_then_the_last_folder(qtbot, page, documents_home,
                                                                                     file_dialogs, tmp_path):
    page.year_spin.setValue(2025)
    page.export_plan_button.click()                                   # cancelled
    name = f"План мероприятий на 2025 год {date.today():%Y-%m-%d}.xlsx"
    assert [c[2] for c in file_dialogs.calls] == [str(documents_home / name)]
    other = tmp_path / "Планы"
    other.mkdir()
    file_dialogs.answers = [other / "план"]
    page.export_plan_button.click()
    qtbot.waitUntil(lambda: not page.export_task.is_running(), timeout=TASK_TIMEOUT_MS)
    assert page.last_export == other / "план.xlsx" and page.last_export.is_file()
    page.export_plan_button.click()
    assert file_dialogs.calls[-1][2] == str(other / name)


def test_import_plan_runs_the_import_dialog_with_the_chosen_year(qtbot, page, records, tmp_path, monkeypatch):
    path = tmp_path / "план.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Название", "Вид", "Форма", "Дата начала", "Организаторы"])
    ws.append(["Конференция «Школа будущего»", "конференция", "смешанно", "12.02.2026", "ИМЦ; Школа № 5"])
    ws.append(["Лекция без даты", "лекция", "очно", None, "ИМЦ"])
    wb.save(path)
    monkeypatch.setattr(ImportDialog, "choose_file", staticmethod(lambda parent: str(path)))
    seen = {}

    def exec_(self):
        seen["title"] = self.windowTitle()
        seen["year"] = self.plan.default_year
        self.import_button.click()
        qtbot.waitUntil(lambda: not self.is_busy(), timeout=TASK_TIMEOUT_MS)
        seen["rejected"] = [(r.row_number, r.reason) for r in self.import_result.rejected]
        self.done_button.click()
        return self.result()

    monkeypatch.setattr(EventPlanImportDialog, "exec", exec_)
    page.year_spin.setValue(2025)
    assert page.import_plan()
    assert seen["title"] == "Импорт плана мероприятий" and seen["year"] == 2025
    assert seen["rejected"] and seen["rejected"][0][0] == 3
    assert page.count() == 3
    row = next(r for r in records.list("events").rows if r["title"].startswith("Конференция"))
    event = records.get("events", row["id"])
    assert (event["kind"], event["format"], event["plan_year"]) == ("conference", "mixed", 2025)
