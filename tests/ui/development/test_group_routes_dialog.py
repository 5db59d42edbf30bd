"""«Маршруты для группы…» on the routes tab: teachers from an organisation or a community, one template."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.storage.models import Trajectory, TrajectoryItem
from app.ui.development.group_routes_dialog import SOURCE_COMMUNITY, SOURCE_CURRENT, SOURCE_ORGANIZATION, GroupRoutesDialog
from app.ui.common.record_page import RecordPage
from app.ui.development.route_item_dialog import RouteItemDialog
from app.ui.shell.sections import Tab
from tests.services.development.conftest import make_org, make_teacher
from PySide6.QtWidgets import QPushButton

TASK_TIMEOUT_MS = 15_000


@pytest.fixture
def school(records):
    org = make_org(records)
    other = make_org(records, "МБОУ СОШ № 7", "7707083893")
    teachers = {last: make_teacher(records, org, last, first)["id"]
                for last, first in (("Иванова", "Мария"), ("Петров", "Сергей"), ("Сидорова", "Елена"))}
    outsider = make_teacher(records, other, "Орлов", "Павел")["id"]
    programme = records.create("programmes", {"title": "Функциональная грамотность", "hours": 72,
                                              "form": "distance", "provider_id": org["id"]})
    return org, teachers, outsider, programme


def _count(db, model, **where) -> int:
    with db.read() as s:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return s.scalar(stmt)


def _add_programme_item(qtbot, dialog: GroupRoutesDialog, monkeypatch, programme) -> None:
    """«Добавить…» in the template: the item sub-dialog, a programme picked, «ОК»."""

    def exec_(item_dialog: RouteItemDialog):
        item_dialog.editors["programme_id"].set_record(programme["id"], programme["title"])
        item_dialog.editors["planned_start"].set_value(date(2025, 10, 1))
        item_dialog.editors["planned_end"].set_value(date(2025, 11, 15))
        assert item_dialog.submit()
        return item_dialog.result()

    monkeypatch.setattr(RouteItemDialog, "exec", exec_)
    dialog.items_editor.add_button.click()


def _open_from_page(qtbot, records, monkeypatch, act) -> tuple[RecordPage, list]:
    page = RecordPage(records, Tab("trajectories", "Маршруты (ИОМ)"))
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    seen = []

    def exec_(dialog: GroupRoutesDialog):
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(GroupRoutesDialog, "exec", exec_)
    assert page.findChild(QPushButton, "groupRoutesButton") is not None and page.findChild(QPushButton, "groupRoutesButton").isVisible()
    page.findChild(QPushButton, "groupRoutesButton").click()
    return page, seen


def test_routes_for_an_organisation_from_the_routes_tab(qtbot, db, records, school, monkeypatch):
    org, teachers, outsider, programme = school

    def act(dialog: GroupRoutesDialog):
        assert not dialog.create_button.isEnabled()
        dialog.show_teachers(SOURCE_ORGANIZATION, org["id"], org["short_name"])
        assert dialog.teacher_list.count() == 3
        dialog.set_checked(teachers["Сидорова"], False)
        assert dialog.count_label.text() == "Отмечено: 2 из 3"
        dialog.start_editor.set_value(date(2025, 9, 1))
        dialog.end_editor.set_value(date(2026, 5, 31))
        dialog.goals_edit.setPlainText("Функциональная грамотность")
        dialog.set_deficits(["functional_literacy"])
        assert not dialog.create_button.isEnabled()            # no item yet
        _add_programme_item(qtbot, dialog, monkeypatch, programme)
        assert dialog.create_button.isEnabled() and dialog.create_button.text() == "Создать маршруты (2)"
        dialog.create_button.click()
        qtbot.waitUntil(lambda: not dialog.task.is_running(), timeout=TASK_TIMEOUT_MS)

    page, seen = _open_from_page(qtbot, records, monkeypatch, act)
    assert len(seen[0].created_ids) == 2
    assert page.count() == 2                                   # the list re-read
    for last in ("Иванова", "Петров"):
        assert _count(db, Trajectory, teacher_id=teachers[last]) == 1
    assert _count(db, Trajectory, teacher_id=teachers["Сидорова"]) == 0
    assert _count(db, Trajectory, teacher_id=outsider) == 0
    with db.read() as s:
        routes = list(s.scalars(select(Trajectory)))
        assert {(r.period_start, r.period_end, r.goals, r.deficits) for r in routes} == {
            (date(2025, 9, 1), date(2026, 5, 31), "Функциональная грамотность", "functional_literacy")}
        items = list(s.scalars(select(TrajectoryItem)))
        assert {(i.title, i.hours, i.credits, i.programme_id, i.status) for i in items} == {
            ("Функциональная грамотность", 72.0, 2.0, programme["id"], "planned")}
        assert len(items) == 2


def test_routes_for_a_community_and_cancel_creates_nothing(qtbot, db, records, school, monkeypatch):
    org, teachers, outsider, programme = school
    community = records.create("communities", {"name": "Клуб молодого педагога", "kind": "young_club"})
    for teacher_id in (teachers["Петров"], outsider):
        records.create("community_members", {"community_id": community["id"], "teacher_id": teacher_id})
    dialog = GroupRoutesDialog(records)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_teachers(SOURCE_COMMUNITY, community["id"], community["name"])
    assert sorted(dialog.chosen_ids()) == sorted([teachers["Петров"], outsider])
    _add_programme_item(qtbot, dialog, monkeypatch, programme)
    with db.session() as s:
        # The worker waits for this write transaction; Cancel reaches it before its first route.
        s.execute(text("SELECT 1"))
        task = dialog.start()
        dialog.progress_dialog.canceled.emit()             # «Отмена» in the progress window
    qtbot.waitUntil(lambda: not task.is_running(), timeout=TASK_TIMEOUT_MS)
    assert dialog.created_ids == [] and dialog.isVisible()
    assert "ни один маршрут не создан" in dialog.error_label.text()
    assert _count(db, Trajectory) == 0 and _count(db, TrajectoryItem) == 0


def test_current_teachers_list_is_offered(qtbot, records, school):
    org, teachers, outsider, programme = school
    dialog = GroupRoutesDialog(records, [outsider, teachers["Иванова"]])
    qtbot.addWidget(dialog)
    assert dialog.current_radio.isEnabled() and "(2)" in dialog.current_radio.text()
    dialog.current_radio.setChecked(True)
    assert dialog.chosen_ids() == [outsider, teachers["Иванова"]]
    dialog.end_editor.set_value("01.01.2020")
    assert "конец периода раньше его начала" in dialog.create_button.toolTip()


def test_a_refused_group_shows_why_and_writes_nothing(qtbot, db, records, school, monkeypatch):
    org, teachers, outsider, programme = school
    dialog = GroupRoutesDialog(records)
    qtbot.addWidget(dialog)
    dialog.show_teachers(SOURCE_ORGANIZATION, org["id"], org["short_name"])
    _add_programme_item(qtbot, dialog, monkeypatch, programme)
    records.delete("teachers", teachers["Петров"])         # gone meanwhile (another window)
    task = dialog.start()
    qtbot.waitUntil(lambda: not task.is_running(), timeout=TASK_TIMEOUT_MS)
    assert "Маршруты не созданы" in dialog.error_label.text() and "Не найдены педагоги" in dialog.error_label.text()
    assert _count(db, Trajectory) == 0
    assert SOURCE_CURRENT == "current"


def test_group_plan_pdf_of_the_checked_teachers(qtbot, db, records, school, monkeypatch, tmp_path, message_answers):
    from pypdf import PdfReader

    import app.ui.development.group_routes_dialog as module
    from app.services.development import ItemTemplate, RouteTemplate, create_group_routes

    org, teachers, outsider, programme = school
    create_group_routes(db, None, [teachers["Иванова"], teachers["Петров"]], RouteTemplate(
        date(2025, 9, 1), date(2026, 5, 31), items=[ItemTemplate("programme", "formal", "", programme["id"])]))
    target = tmp_path / "план.pdf"
    monkeypatch.setattr(module, "choose_pdf_path", lambda parent, suggested: str(target))
    dialog = GroupRoutesDialog(records)
    qtbot.addWidget(dialog)
    assert not dialog.plan_button.isEnabled()
    dialog.show_teachers(SOURCE_ORGANIZATION, org["id"], org["short_name"])
    dialog.set_checked(teachers["Сидорова"], False)
    dialog.plan_button.click()
    qtbot.waitUntil(lambda: not dialog.task.is_running(), timeout=TASK_TIMEOUT_MS)
    assert message_answers["saved"] == [f"Документ сохранён: {target}"]
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Иванова" in text and "Петров" in text and "Сидорова" not in text
    assert "Функциональная грамотность" in text
