"""The teacher card: what it shows, its tables, and «Изменить данные»."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.ui.common.record_dialog import RecordDialog
from app.ui.registry.teacher_card_dialog import TeacherCardDialog

TODAY = date.today()


@pytest.fixture
def anna(records):
    school = records.create("organizations", {"full_name": "Средняя школа № 3", "short_name": "СШ № 3",
                                              "kind": "school"})
    teacher = records.create("teachers", {
        "last_name": "Петрова", "first_name": "Анна", "middle_name": "Сергеевна", "birth_date": "12.03.1980",
        "snils": "112-233-445 95", "organization_id": school["id"], "position": "учитель математики",
        "qualification_category": "first", "career_start": "01.09.2003", "consent_on": "02.09.2024",
        "consent_basis": "письменное согласие", "last_pd_on": TODAY - timedelta(days=4 * 365)})
    old = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": "01.09.2023",
                                          "period_end": "31.08.2024", "status": "completed"})
    new = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": "01.09.2024",
                                          "period_end": "31.08.2025", "status": "active",
                                          "deficits": "digital"})
    for route, title, status, hours, credits, end in (
            (old, "Курс «Функциональная грамотность»", "completed", 72, 2.0, "20.04.2024"),
            (new, "Вебинар «ФОП»", "completed", 2, 0.06, "10.11.2024"),
            (new, "Стажировка", "planned", 24, 0.67, None)):
        values = {"trajectory_id": route["id"], "kind": "event", "formality": "non_formal", "title": title,
                  "status": status, "hours": hours, "credits": credits}
        if end:
            values["actual_end"] = end
        else:
            values["planned_end"] = "01.05.2025"
        records.create("trajectory_items", values)
    event = records.create("events", {"title": "Семинар «Формирующее оценивание»", "kind": "seminar",
                                      "format": "in_person", "starts_on": "12.02.2025"})
    records.create("participations", {"event_id": event["id"], "teacher_id": teacher["id"], "role": "speaker",
                                      "attendance": "present", "hours": 4})
    material = records.create("materials", {"title": "Рабочая тетрадь", "kind": "guidelines"})
    records.create("material_authors", {"material_id": material["id"], "teacher_id": teacher["id"]})
    return teacher


def _card(qtbot, records, teacher_id) -> TeacherCardDialog:
    card = TeacherCardDialog(records, teacher_id)
    qtbot.addWidget(card)
    card.show()
    return card


def _texts(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_card_shows_the_person_the_job_the_consent_and_the_next_course(qtbot, records, anna):
    card = _card(qtbot, records, anna["id"])
    assert card.windowTitle() == "Карточка педагога: Петрова Анна Сергеевна"
    assert card.name_label.text() == "Петрова Анна Сергеевна"
    assert card.job_label.text() == "учитель математики, СШ № 3"
    due = card.card.pd_due
    assert card.pd_label.text().startswith(
        f"Следующее повышение квалификации — не позднее {due:%d.%m.%Y}: просрочено")
    values = {key: label.text() for key, label in card.values.items()}
    assert values["snils"] == "112-233-445 95" and values["birth_date"] == "12.03.1980"
    assert values["category"] == "Первая" and values["organization"] == "СШ № 3"
    assert values["consent_on"] == "02.09.2024" and values["consent_basis"] == "письменное согласие"
    assert values["email"] == "—"
    assert [card.tabs.tabText(i) for i in range(card.tabs.count())] == [
        "ИОМ (2)", "Мероприятия (1)", "Материалы (1)", "Диагностика (0)", "Зачётные единицы (2,17)"]


def test_routes_list_their_items_and_the_credits_add_up_by_year(qtbot, records, anna, qtmodeltester):
    card = _card(qtbot, records, anna["id"])
    assert [row[:2] for row in _texts(card.trajectories)] == [
        ["01.09.2024 – 31.08.2025", "Утверждён"], ["01.09.2023 – 31.08.2024", "Завершён"]]
    assert _texts(card.trajectories)[0][3] == "Цифровые образовательные технологии"
    # The seminar she attended went into the route that covers its date.
    assert [row[1] for row in _texts(card.items)] == [
        "Вебинар «ФОП»", "Семинар: Семинар «Формирующее оценивание»", "Стажировка"]
    card.trajectory_pane.table.selectRow(1)
    assert [row[1] for row in _texts(card.items)] == ["Курс «Функциональная грамотность»"]
    assert card.items_title.text() == "Элементы маршрута 01.09.2023 – 31.08.2024 (завершён)"

    assert _texts(card.credits) == [["2025", "1", "4", "0,11"], ["2024", "2", "74", "2,06"]]
    assert card.total_label.text() == "Всего: 78 ч, 2,17 з.е."
    assert _texts(card.participations) == [["12.02.2025", "Семинар «Формирующее оценивание»", "Семинар",
                                            "Выступающий", "Присутствовал", "4", ""]]
    assert _texts(card.materials)[0][:2] == ["Рабочая тетрадь", "Методические рекомендации"]
    for model in (card.trajectories, card.items, card.participations, card.materials, card.credits):
        qtmodeltester.check(model)


def test_a_teacher_without_history_gets_quiet_empty_tabs(qtbot, records):
    teacher = records.create("teachers", {"last_name": "Новиков", "first_name": "Олег"})
    card = _card(qtbot, records, teacher["id"])
    assert card.pd_label.text().startswith("Следующее повышение квалификации: срок неизвестен")
    assert card.values["consent_on"].text() == "согласие не получено"
    assert card.trajectory_pane.empty_label.isVisible() and not card.trajectory_pane.table.isVisible()
    assert card.total_label.text() == ""


def test_edit_data_opens_the_form_and_the_card_shows_the_change(qtbot, records, anna, monkeypatch):
    asked = []

    def ask(cls, parent, service, entity, record_id=None):
        asked.append((entity, record_id))
        service.update(entity, record_id, {"position": "методист"})
        return record_id

    monkeypatch.setattr(RecordDialog, "ask", classmethod(ask))
    card = _card(qtbot, records, anna["id"])
    assert not card.changed
    card.edit_button.click()
    assert asked == [("teachers", anna["id"])]
    assert card.changed and card.job_label.text() == "методист, СШ № 3"


def test_a_cancelled_edit_changes_nothing(qtbot, records, anna, monkeypatch):
    monkeypatch.setattr(RecordDialog, "ask", classmethod(lambda cls, *a, **kw: None))
    card = _card(qtbot, records, anna["id"])
    card.edit_button.click()
    assert not card.changed


def test_open_card_of_a_missing_teacher_shows_the_message(qtbot, records, message_answers):
    assert TeacherCardDialog.open_card(None, records, "no-such-id") is False
    assert "Не найдена запись (педагог)" in message_answers["errors"][0]


def test_the_card_shows_the_diagnostics_and_the_deficits_they_found(qtbot, records, anna):
    diagnostic = records.create("diagnostics", {"teacher_id": anna["id"], "held_on": "15.09.2025",
                                                "instrument": "Анкета самооценки"})
    records.create("diagnostic_results", {"diagnostic_id": diagnostic["id"], "competence": "digital",
                                          "score": 30, "max_score": 100, "is_deficit": True})
    records.create("diagnostic_results", {"diagnostic_id": diagnostic["id"], "competence": "assessment",
                                          "score": 8, "max_score": 10, "is_deficit": False})
    card = _card(qtbot, records, anna["id"])
    assert card.tabs.tabText(3) == "Диагностика (1)"
    assert _texts(card.diagnostics) == [["15.09.2025", "Анкета самооценки", "Цифровые образовательные технологии",
                                         "2", "55"]]
