"""The «Отчёты» page driven as a user would: choose a report, set the day, preview, save, cancel."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog

from app.services.registry.service import RecordService
from app.services.reports import REPORTS
from app.ui.reports import report_catalogue
from app.ui.reports.report_catalogue import ReportCatalogue
from tests.services.reports.conftest import DAY, network, sql  # noqa: F401 - fixtures
from tests.services.reports.readback import column, read_xlsx


@pytest.fixture
def page(qtbot, db, network):  # noqa: F811 - the fixture
    widget = ReportCatalogue(RecordService(db))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.activate()
    return widget


def _choose(qtbot, page, name):
    row = list(REPORTS).index(name)
    item = page.report_list.item(row)
    rect = page.report_list.visualItemRect(item)
    qtbot.mouseClick(page.report_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_name() == name


def _set_day(page, day: date):
    page.to_edit.setDate(QDate(day.year, day.month, day.day))


def test_the_catalogue_lists_the_eleven_reports(page):
    titles = [page.report_list.item(i).text() for i in range(page.report_list.count())]
    assert titles == [cls.title for cls in REPORTS.values()]
    assert page.organization_combo.count() == 1 + 4        # «Все организации» + the live organisations
    assert page.municipality_combo.isVisible()               # two municipalities: region mode


def test_a_register_asks_for_one_day_and_only_some_reports_have_pdf(qtbot, page):
    _choose(qtbot, page, "participants")
    assert not page.from_edit.isVisible() and page.to_caption.text() == "По состоянию на"
    assert not page.pdf_button.isEnabled()
    _choose(qtbot, page, "events")
    assert page.from_edit.isVisible() and page.pdf_button.isEnabled()
    assert not page.unmasked_check.isVisible()
    _choose(qtbot, page, "requests")
    assert page.unmasked_check.isVisible()


def test_preview_reads_lazily_and_ends_with_the_totals(qtbot, page, sql, monkeypatch):  # noqa: F811
    monkeypatch.setattr(report_catalogue, "PREVIEW_BLOCK", 2)
    _choose(qtbot, page, "pk-due")
    _set_day(page, DAY)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 2
    assert page.count_label.text().startswith("Показаны первые 2 строк")
    while page.model.canFetchMore():
        page.table.scrollToBottom()
        qtbot.wait(10)
        page.model.fetchMore()
    # Independent count: the base (last course, else start of work) at most three years before 31.12.2026.
    expected = sql.execute("SELECT count(*) FROM teacher WHERE deleted_at IS NULL AND "
                           "coalesce(last_pd_on, career_start, hired_on) <= '2023-12-31'").fetchone()[0]
    assert page.model.data_rows == expected
    last = page.model.rowCount() - 1
    assert page.model.index(last, 0).data() == f"Итого педагогов: {expected}"
    assert page.model.index(last, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert page.count_label.text() == f"Строк: {expected}"
    assert "По состоянию на 30.06.2026" in page.header_label.text()


def test_preview_of_one_organisation_chosen_by_typing(qtbot, page):
    _choose(qtbot, page, "agreements")
    _set_day(page, DAY)
    page.organization_combo.lineEdit().clear()
    # QTest.keyClicks asserts on non-ASCII text, so type letter by letter through the widget.
    for letter in "Школа № 1 (ИНН 5050000005)":
        page.organization_combo.lineEdit().insert(letter)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.model.data_rows == 1 and page.model.index(0, 0).data() == "1/2025"


def test_an_unknown_organisation_is_refused_with_a_message(qtbot, page, message_answers):
    page.organization_combo.lineEdit().clear()
    for letter in "Нет такой школы":
        page.organization_combo.lineEdit().insert(letter)
    assert page.show_preview() is False
    assert message_answers["errors"] == ["Не удалось построить отчёт. Организация «Нет такой школы» не найдена: "
                                         "выберите её из списка."]


def test_save_to_excel_off_the_gui_thread(qtbot, page, tmp_path, monkeypatch, message_answers):
    target = tmp_path / "Охват.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    _choose(qtbot, page, "pk-coverage")
    _set_day(page, DAY)
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    task = page.save_task
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10000)
    assert message_answers["saved"] == [f"Документ сохранён: {target}"]
    sheet = read_xlsx(target)
    assert "Школа № 1" in column(sheet, "Организация")
    assert page.xlsx_button.isEnabled()


def test_save_to_pdf(qtbot, page, tmp_path, monkeypatch, message_answers):
    target = tmp_path / "events"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    _choose(qtbot, page, "events")
    _set_day(page, DAY)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.save_task.is_running(), timeout=10000)
    assert (tmp_path / "events.pdf").read_bytes().startswith(b"%PDF")


def test_cancel_leaves_no_file(qtbot, page, tmp_path):
    _choose(qtbot, page, "pk-credits")
    target = tmp_path / "out" / "credits.xlsx"
    cancelled = []
    task = page.save(str(target))
    task.cancelled.connect(lambda: cancelled.append(True))
    task.cancel()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=10000)
    assert cancelled == [True]
    assert not target.exists()


def test_municipality_filter_in_region_mode(qtbot, page, sql):  # noqa: F811
    _choose(qtbot, page, "pk-coverage")
    _set_day(page, DAY)
    page.municipality_combo.setCurrentIndex(page.municipality_combo.findData("B"))
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    names = [page.model.index(r, 0).data() for r in range(page.model.data_rows)]
    expected = [n for (n,) in sql.execute(
        "SELECT DISTINCT coalesce(nullif(o.short_name, ''), o.full_name) FROM organization o JOIN teacher t "
        "ON t.organization_id = o.id WHERE o.origin = 'B' AND t.deleted_at IS NULL")]
    assert names == expected == ["Детский сад № 3"]
    assert "Муниципальное образование: Район Б" in page.header_label.text()


# -- where «Сохранить отчёт» starts: the report's Russian name in Documents, then the last folder --------
def _today() -> str:
    return f"{date.today():%Y-%m-%d}"


def test_the_first_save_proposes_the_russian_title_and_todays_date_in_documents(qtbot, page, documents_home,
                                                                                file_dialogs):
    _choose(qtbot, page, "pk-coverage")
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)      # the user cancels
    assert REPORTS["pk-coverage"].sheet == "Охват ПК"
    [(function, title, start, file_filter)] = file_dialogs.calls
    assert (function, title, file_filter) == ("save", "Сохранить отчёт", "Книга Excel (*.xlsx)")
    assert start == str(documents_home / f"Охват ПК {_today()}.xlsx")
    assert page.save_task is None                                      # cancelled: nothing written


def test_the_next_save_starts_in_the_folder_chosen_last(qtbot, page, documents_home, file_dialogs, tmp_path,
                                                        message_answers):
    other = tmp_path / "Отчёты для управления"
    other.mkdir()
    file_dialogs.answers = [other / "охват"]                           # typed without the extension
    _choose(qtbot, page, "pk-coverage")
    _set_day(page, DAY)
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.save_task.is_running(), timeout=10000)
    assert message_answers["saved"] == [f"Документ сохранён: {other / 'охват.xlsx'}"]
    assert (other / "охват.xlsx").is_file()

    _choose(qtbot, page, "events")
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)       # another report, PDF: the same kind of file
    assert file_dialogs.calls[-1][2] == str(other / f"Мероприятия {_today()}.pdf")


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(qtbot, page, documents_home, file_dialogs,
                                                                  tmp_path, message_answers):
    gone = tmp_path / "флешка"
    gone.mkdir()
    file_dialogs.answers = [gone / "охват.xlsx"]
    _choose(qtbot, page, "pk-coverage")
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.save_task.is_running(), timeout=10000)
    (gone / "охват.xlsx").unlink()
    gone.rmdir()
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    assert file_dialogs.calls[-1][2] == str(documents_home / f"Охват ПК {_today()}.xlsx")
