"""The report tabs of «Повышение квалификации» and the PDF documents of the teacher card."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from app.domain import rules
from app.services.demo.generator import generate_demo
from app.services.development import coverage_by_organization, coverage_total, pd_due_list, young_without_mentor
from app.ui.development import pd_reports
from app.ui.registry import teacher_card_dialog
from app.ui.common.highlights import ALARM_BACKGROUND, WARNING_BACKGROUND
from app.ui.shell.section_page import SectionPage
from app.ui.development.pd_reports import CoverageTab, PdDueTab, YoungTab
from app.ui.shell.sections import section
from app.ui.registry.teacher_card_dialog import TeacherCardDialog

TODAY = date.today()
DUE = ["ФИО", "Организация", "Последнее ПК", "Срок", "Статус", "Дней осталось"]


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory, _template_db):
    """One demo base of 150 teachers per module, copied per test."""
    import shutil

    from app.services.common.bootstrap import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copy(_template_db, path)
    db, _ = open_database(str(path))
    generate_demo(db, 150)
    db.dispose()
    return path


@pytest.fixture
def demo(_demo_template, tmp_path):
    import shutil

    from app.services.common.actor import Actor
    from app.services.common.bootstrap import open_database
    from app.services.registry.service import RecordService

    path = tmp_path / "demo.sqlite"
    shutil.copy(_demo_template, path)
    db, _ = open_database(str(path))
    yield RecordService(db, Actor("tester"))
    db.dispose()


@pytest.fixture
def page(qtbot, demo):
    widget = SectionPage(section("development"), demo)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _texts(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_section_has_three_report_tabs_loaded_when_first_shown(page):
    labels = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert labels[-3:] == ["Сроки ПК", "Охват по организациям", "Молодые без наставника"]
    assert not any(t.is_loaded for t in page.report_tabs.values())
    report = page.show_report("pd_due")
    assert report.is_loaded and page.current_record_page() is None
    assert not page.report_tabs["pd_coverage"].is_loaded
    page.tabs.setCurrentWidget(page.report_tabs["pd_coverage"])
    assert page.report_tabs["pd_coverage"].is_loaded


def test_the_due_tab_lists_exactly_the_teachers_pd_due_list_returns(page, demo):
    report: PdDueTab = page.show_report("pd_due")
    model = report.model
    assert report.months_spin.value() == 6
    expected = pd_due_list(demo.db, within_months=6)
    assert expected, "the demo base has teachers due for a course"
    assert {r.status for r in expected} == {"overdue", "due_soon"}
    assert [model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(model.columnCount())] == DUE
    assert [model.row_object(r).teacher_id for r in range(model.rowCount())] == [r.teacher_id for r in expected]
    texts = _texts(model)
    for row, due in zip(texts, expected):
        assert row[0] == due.full_name
        assert row[3] == due.due_on.strftime("%d.%m.%Y")
        assert row[4] == due.status_label
        assert row[5] == str(due.days_left)
    overdue = next(i for i, r in enumerate(expected) if r.status == "overdue")
    soon = next(i for i, r in enumerate(expected) if r.status == "due_soon")
    assert texts[overdue][4] == rules.PdStatus.OVERDUE.label
    background = model.index(overdue, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color() == QColor(ALARM_BACKGROUND)
    assert model.index(soon, 2).data(Qt.ItemDataRole.BackgroundRole).color() == QColor(WARNING_BACKGROUND)
    assert "Всего: " + str(len(expected)) in report.count_label.text()


def test_the_months_spin_box_rereads_the_list(page, demo):
    report: PdDueTab = page.show_report("pd_due")
    report.months_spin.setValue(0)
    only_overdue = pd_due_list(demo.db, within_months=0)
    assert report.model.rowCount() == len(only_overdue)
    assert all(report.model.row_object(r).status == "overdue" for r in range(report.model.rowCount()))
    report.months_spin.setValue(24)
    assert report.model.rowCount() == len(pd_due_list(demo.db, within_months=24)) > len(only_overdue)
    assert report.months_suffix.text() == "месяца"


def test_refresh_rereads_after_a_course_is_recorded(page, demo):
    report: PdDueTab = page.show_report("pd_due")
    first = report.model.row_object(0)
    demo.update("teachers", first.teacher_id, {"last_pd_on": TODAY - timedelta(days=10)})
    assert report.model.row_object(0).teacher_id == first.teacher_id     # not until asked
    report.refresh_button.click()
    ids = [report.model.row_object(r).teacher_id for r in range(report.model.rowCount())]
    assert first.teacher_id not in ids


def test_the_coverage_tab_ends_with_a_bold_total(page, demo):
    report: CoverageTab = page.show_report("pd_coverage")
    model = report.model
    rows = coverage_by_organization(demo.db)
    total = coverage_total(rows)
    assert model.rowCount() == len(rows) + 1
    last = model.rowCount() - 1
    assert model.row_object(last) == total
    assert _texts(model)[last] == ["Итого", str(total.teachers), str(total.covered),
                                   f"{total.percent_covered:g}".replace(".", ","), str(total.due_soon),
                                   str(total.overdue), str(total.unknown)]
    font = model.index(last, 0).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert [model.row_object(r) for r in range(last)] == rows
    assert not report.open_teacher(0)        # organisations, not teachers


def test_the_young_tab_lists_young_without_mentor(page, demo):
    report: YoungTab = page.show_report("young_without_mentor")
    expected = young_without_mentor(demo.db)
    assert [report.model.row_object(r).teacher_id for r in range(report.model.rowCount())] == \
        [r.teacher_id for r in expected]
    if expected:
        assert report.model.index(0, 5).data() == ", ".join(expected[0].reasons)


def test_double_click_opens_the_teacher_card(qtbot, page, monkeypatch):
    opened = []

    def open_card(cls, parent, service, teacher_id):
        opened.append(teacher_id)
        return True

    monkeypatch.setattr(TeacherCardDialog, "open_card", classmethod(open_card))
    report = page.show_report("pd_due")
    index = report.model.index(1, 0)
    rect = report.table.visualRect(index)
    with qtbot.waitSignal(page.records_changed) as signal:
        # The view takes a double click only on the index the first press was on.
        qtbot.mouseClick(report.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(report.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [report.model.row_object(1).teacher_id]
    assert signal.args == ["teachers"]


@pytest.mark.parametrize("cls", [PdDueTab, CoverageTab, YoungTab])
def test_report_models_pass_the_model_tester(qtmodeltester, qtbot, demo, cls):
    tab = cls(demo)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.model.rowCount() > 0
    qtmodeltester.check(tab.model)


def test_a_failed_read_shows_a_message_not_a_crash(qtbot, demo, monkeypatch):
    tab = PdDueTab(demo)
    qtbot.addWidget(tab)
    tab.show()

    def fail(*args, **kwargs):
        raise ValueError("Срок не может быть отрицательным")

    monkeypatch.setattr(pd_reports, "pd_due_list", fail)
    tab.refresh()
    assert tab.model.rowCount() == 0
    assert "Срок не может быть отрицательным" in tab.message_label.text()


def test_screenshot_of_the_due_tab(qtbot, page):
    report = page.show_report("pd_due")
    qtbot.wait(50)                    # columns are fitted after the layout
    assert page.grab().save("/tmp/pd_due_tab.png")


# -- the teacher card's documents ----------------------------------------------------------------

@pytest.fixture
def anna(records):
    teacher = records.create("teachers", {
        "last_name": "Петрова", "first_name": "Анна", "middle_name": "Сергеевна",
        "career_start": "01.09.2003", "last_pd_on": TODAY - timedelta(days=400)})
    route = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": "01.09.2024",
                                            "period_end": "31.08.2025", "status": "active"})
    records.create("trajectory_items", {"trajectory_id": route["id"], "kind": "event", "formality": "non_formal",
                                        "title": "Вебинар «ФОП»", "status": "completed", "hours": 2,
                                        "credits": 0.06, "actual_end": "10.11.2024"})
    return teacher


def _card(qtbot, records, teacher_id) -> TeacherCardDialog:
    card = TeacherCardDialog(records, teacher_id)
    qtbot.addWidget(card)
    card.show()
    return card


@pytest.mark.parametrize("button, title", [("iom_button", "ИОМ (PDF)…"), ("credits_button", "Выписка о з.е. (PDF)…")])
def test_the_pdf_buttons_write_the_document_and_say_so(qtbot, records, anna, tmp_path, monkeypatch,
                                                       message_answers, button, title):
    target = tmp_path / "документ.pdf"
    asked = []

    def choose(parent, suggested):
        asked.append(suggested)
        return str(target)

    opened = []
    monkeypatch.setattr(teacher_card_dialog, "choose_pdf_path", choose)
    monkeypatch.setattr(teacher_card_dialog, "open_document", opened.append)
    card = _card(qtbot, records, anna["id"])
    assert getattr(card, button).text() == title and getattr(card, button).isEnabled()
    getattr(card, button).click()
    qtbot.waitUntil(lambda: bool(message_answers["saved"]) or bool(message_answers["errors"]), timeout=20_000)
    assert message_answers["errors"] == []
    assert message_answers["saved"] == [f"Документ сохранён: {target}"]
    assert asked and asked[0].endswith(".pdf") and "Петрова" in asked[0]
    assert "Петрова" in PdfReader(str(target)).pages[0].extract_text()
    assert opened == []                                  # the user declined to open it
    qtbot.waitUntil(lambda: getattr(card, button).isEnabled())


def test_the_saved_document_is_opened_when_asked(qtbot, records, anna, tmp_path, monkeypatch, message_answers):
    target = tmp_path / "iom.pdf"
    opened = []
    monkeypatch.setattr(teacher_card_dialog, "choose_pdf_path", lambda parent, suggested: str(target))
    monkeypatch.setattr(teacher_card_dialog, "open_document", opened.append)
    message_answers["open_saved"] = True
    card = _card(qtbot, records, anna["id"])
    card.iom_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    assert opened == [str(target)]


def test_cancelling_the_file_question_writes_nothing(qtbot, records, anna, monkeypatch, message_answers):
    monkeypatch.setattr(teacher_card_dialog, "choose_pdf_path", lambda parent, suggested: None)
    card = _card(qtbot, records, anna["id"])
    assert card.export_pdf("iom") is None
    assert card.export_task is None and message_answers["saved"] == []


def test_the_iom_button_waits_for_a_route(qtbot, records, message_answers):
    teacher = records.create("teachers", {"last_name": "Сидоров", "first_name": "Олег"})
    card = _card(qtbot, records, teacher["id"])
    assert not card.iom_button.isEnabled()
    assert card.credits_button.isEnabled()


def test_a_failed_write_is_reported(qtbot, records, anna, tmp_path, monkeypatch, message_answers):
    monkeypatch.setattr(teacher_card_dialog, "choose_pdf_path",
                        lambda parent, suggested: str(tmp_path / "нет такой папки" / "x.pdf"))

    def broken(db, teacher_id, path):
        raise OSError("Нет доступа к папке")

    monkeypatch.setitem(teacher_card_dialog.DOCUMENTS, "credits",
                        (*teacher_card_dialog.DOCUMENTS["credits"][:3], broken))
    card = _card(qtbot, records, anna["id"])
    card.credits_button.click()
    qtbot.waitUntil(lambda: bool(message_answers["errors"]), timeout=20_000)
    assert "Нет доступа к папке" in message_answers["errors"][0]
    assert message_answers["saved"] == []
    qtbot.waitUntil(card.credits_button.isEnabled)


def test_snils_in_the_pdf_is_masked_unless_asked_and_allowed(qtbot, records, tmp_path, monkeypatch, message_answers):
    from app.services.access.permissions import OBSERVER
    from tests.security.conftest import as_role

    teacher = records.create("teachers", {"last_name": "Петрова", "first_name": "Анна",
                                          "snils": "112-233-445 95", "career_start": "01.09.2003"})
    paths = iter([tmp_path / "masked.pdf", tmp_path / "full.pdf"])
    monkeypatch.setattr(teacher_card_dialog, "choose_pdf_path", lambda parent, suggested: str(next(paths)))
    monkeypatch.setattr(teacher_card_dialog, "open_document", lambda path: None)
    card = _card(qtbot, records, teacher["id"])
    assert not card.unmasked_check.isHidden()            # set-up mode: allowed
    card.credits_button.click()
    qtbot.waitUntil(lambda: len(message_answers["saved"]) == 1, timeout=20_000)
    qtbot.waitUntil(card.credits_button.isEnabled)
    card.unmasked_check.setChecked(True)
    card.credits_button.click()
    qtbot.waitUntil(lambda: len(message_answers["saved"]) == 2, timeout=20_000)
    masked_text = PdfReader(str(tmp_path / "masked.pdf")).pages[0].extract_text()
    full_text = PdfReader(str(tmp_path / "full.pdf")).pages[0].extract_text()
    assert "112-233-445 95" not in masked_text and "445 95" in masked_text
    assert "112-233-445 95" in full_text

    as_role(records.db, OBSERVER)
    assert _card(qtbot, records, teacher["id"]).unmasked_check.isHidden()   # not offered to an observer
