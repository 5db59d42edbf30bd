"""The teacher card: what one read gathers about a teacher, on a real database."""
from __future__ import annotations

from datetime import date

import pytest

from app.domain.rules import PdStatus, add_years
from app.services.common.errors import NotFound
from app.services.registry.teacher_card import credits_by_year, teacher_card


@pytest.fixture
def school(records):
    return records.create("organizations", {
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Лицей № 2»",
        "short_name": "МБОУ Лицей № 2", "kind": "school"})


@pytest.fixture
def anna(records, school):
    return records.create("teachers", {
        "last_name": "Петрова", "first_name": "Анна", "middle_name": "Сергеевна", "birth_date": "12.03.1980",
        "snils": "11223344595", "organization_id": school["id"], "position": "учитель математики",
        "qualification_category": "highest", "career_start": "01.09.2003",
        "consent_on": "02.09.2024", "consent_basis": "согласие в письменной форме",
        "last_pd_on": "15.05.2023"})


def _route(records, teacher, start, end, status="active", deficits=""):
    return records.create("trajectories", {
        "teacher_id": teacher["id"], "period_start": start, "period_end": end, "status": status,
        "deficits": deficits, "goals": "Освоение цифровых технологий"})


def _item(records, route, title, status, hours, credits, actual_end=None, planned_end=None, kind="programme"):
    values = {"trajectory_id": route["id"], "kind": kind, "formality": "formal", "title": title,
              "status": status, "hours": hours, "credits": credits}
    if actual_end:
        values["actual_end"] = actual_end
    if planned_end:
        values["planned_end"] = planned_end
    return records.create("trajectory_items", values)


def test_personal_data_employment_and_consent(db, anna, school):
    card = teacher_card(db, anna["id"], today=date(2025, 1, 10))
    assert card.full_name == "Петрова Анна Сергеевна"
    assert card.birth_date == date(1980, 3, 12)
    assert card.snils == "112-233-445 95"
    assert (card.organization_id, card.organization_name) == (school["id"], "МБОУ Лицей № 2")
    assert card.position == "учитель математики"
    assert card.qualification_category_label == "Высшая"
    assert card.consent_on == date(2024, 9, 2) and card.consent_basis == "согласие в письменной форме"
    assert card.young is False
    assert card.trajectories == card.participations == card.materials == card.credits_by_year == ()
    assert (card.total_hours, card.total_credits) == (0, 0)


@pytest.mark.parametrize(("today", "status"), [
    (date(2025, 1, 10), PdStatus.OK),
    (date(2026, 1, 10), PdStatus.DUE_SOON),
    (date(2026, 5, 15), PdStatus.DUE_SOON),
    (date(2026, 5, 16), PdStatus.OVERDUE),
])
def test_next_professional_development_is_three_years_after_the_last(db, anna, today, status):
    card = teacher_card(db, anna["id"], today=today)
    assert card.pd_due == date(2026, 5, 15)
    assert card.pd_status is status
    assert card.pd_status_label == status.label


def test_without_any_date_the_due_date_is_unknown(db, records):
    t = records.create("teachers", {"last_name": "Новиков", "first_name": "Олег"})
    card = teacher_card(db, t["id"])
    assert card.pd_due is None and card.pd_status is PdStatus.UNKNOWN
    assert card.organization_name == "" and card.qualification_category_label == "Без категории"


def test_due_date_counts_from_the_career_start_when_no_course_is_recorded(db, records):
    t = records.create("teachers", {"last_name": "Новиков", "first_name": "Олег", "career_start": "01.09.2024",
                                    "birth_date": "01.02.2001"})
    card = teacher_card(db, t["id"], today=date(2025, 1, 10))
    assert card.pd_due == add_years(date(2024, 9, 1), 3)
    assert card.young is True


def test_credits_and_hours_of_completed_items_by_year(db, records, anna):
    old = _route(records, anna, "01.09.2023", "31.08.2024", status="completed")
    new = _route(records, anna, "01.09.2024", "31.08.2025", deficits="digital,assessment")
    _item(records, old, "Курс «Функциональная грамотность»", "completed", 72, 2.0, actual_end="20.04.2024")
    _item(records, new, "Курс «Цифровая школа»", "completed", 36, 1.0, actual_end="10.11.2024")
    _item(records, new, "Стажировка", "completed", 18, 0.5, actual_end="03.03.2025", kind="internship")
    _item(records, new, "Самообразование", "completed", 16, 0.44, planned_end="01.06.2025",
          kind="self_education")                                  # no actual end: the plan's year
    _item(records, new, "Вебинар", "in_progress", 36, 1.0, planned_end="01.05.2025", kind="event")
    _item(records, new, "Наставничество", "cancelled", 24, 0.67, planned_end="01.05.2025", kind="mentoring")
    gone = _item(records, new, "Удалённый курс", "completed", 100, 3.0, actual_end="01.02.2025")
    records.delete("trajectory_items", gone["id"])

    card = teacher_card(db, anna["id"])
    # By hand: 2024 — 72 + 36 h, 2 + 1 з.е.; 2025 — 18 + 16 h, 0.5 + 0.44 з.е.; in progress,
    # cancelled and deleted items do not count.
    assert [(y.year, y.items, y.hours, y.credits) for y in card.credits_by_year] == [
        (2025, 2, 34, 0.94), (2024, 2, 108, 3.0)]
    assert (card.total_hours, card.total_credits) == (142, 3.94)

    assert [r.period_start for r in card.trajectories] == [date(2024, 9, 1), date(2023, 9, 1)]
    latest = card.trajectories[0]
    assert latest.status_label == "Утверждён"
    assert latest.deficits == ("Цифровые образовательные технологии", "Оценивание образовательных результатов")
    assert [i.title for i in latest.items] == [
        "Курс «Цифровая школа»", "Стажировка", "Вебинар", "Наставничество", "Самообразование"]
    assert latest.completed_items == 3
    stage = next(i for i in latest.items if i.title == "Стажировка")
    assert (stage.kind_label, stage.status_label, stage.formality_label) == ("Стажировка", "Выполнено", "Формальное")


def test_undated_completed_items_are_summed_apart():
    from app.services.registry.teacher_card import TrajectoryItemRow

    def item(status, hours, credits, end):
        return TrajectoryItemRow("x", "event", "", "", "", status, "", None, None, None, end, hours, credits, "", None)

    rows, hours, credits = credits_by_year([item("completed", 2, 0.06, None), item("completed", 36, 1, date(2024, 5, 1)),
                                            item("planned", 36, 1, date(2024, 6, 1))])
    assert [(r.year, r.hours, r.credits) for r in rows] == [(2024, 36, 1), (None, 2, 0.06)]
    assert (hours, credits) == (38, 1.06)


def test_events_the_teacher_took_part_in_newest_first(db, records, anna, school):
    other = records.create("teachers", {"last_name": "Сидоров", "first_name": "Иван"})
    seminar = records.create("events", {"title": "Семинар «Формирующее оценивание»", "kind": "seminar",
                                        "format": "in_person", "starts_on": "12.02.2025"})
    webinar = records.create("events", {"title": "Вебинар «ФОП»", "kind": "webinar", "format": "remote",
                                        "starts_on": "03.10.2025"})
    cancelled = records.create("events", {"title": "Отменённая конференция", "kind": "conference",
                                          "format": "in_person", "starts_on": "01.03.2025"})
    records.create("participations", {"event_id": seminar["id"], "teacher_id": anna["id"], "role": "speaker",
                                      "attendance": "present", "hours": 4, "certificate_number": "С-17"})
    records.create("participations", {"event_id": webinar["id"], "teacher_id": anna["id"],
                                      "attendance": "absent"})
    records.create("participations", {"event_id": webinar["id"], "teacher_id": other["id"]})
    records.create("participations", {"event_id": cancelled["id"], "teacher_id": anna["id"]})
    records.delete("events", cancelled["id"])

    rows = teacher_card(db, anna["id"]).participations
    assert [(p.starts_on, p.event_title) for p in rows] == [
        (date(2025, 10, 3), "Вебинар «ФОП»"), (date(2025, 2, 12), "Семинар «Формирующее оценивание»")]
    assert (rows[1].role_label, rows[1].attendance_label, rows[1].hours, rows[1].certificate_number) == (
        "Выступающий", "Присутствовал", 4, "С-17")
    assert (rows[0].event_kind_label, rows[0].role_label, rows[0].attendance_label) == (
        "Вебинар", "Участник", "Отсутствовал")


def test_materials_authored_with_their_co_authors(db, records, anna, school):
    colleague = records.create("teachers", {"last_name": "Кузнецова", "first_name": "Мария",
                                            "middle_name": "Ивановна"})
    joint = records.create("materials", {"title": "Рабочая тетрадь по геометрии", "kind": "guidelines",
                                         "subject": "Математика", "submitted_on": "01.04.2025",
                                         "status": "approved"})
    alone = records.create("materials", {"title": "Статья о проектах", "kind": "article"})
    foreign = records.create("materials", {"title": "Чужой материал", "kind": "article"})
    for material, teacher in ((joint, anna), (joint, colleague), (alone, anna), (foreign, colleague)):
        records.create("material_authors", {"material_id": material["id"], "teacher_id": teacher["id"]})

    rows = teacher_card(db, anna["id"]).materials
    assert [m.title for m in rows] == ["Рабочая тетрадь по геометрии", "Статья о проектах"]
    first = next(m for m in rows if m.id == joint["id"])
    assert (first.kind_label, first.status_label, first.subject, first.submitted_on) == (
        "Методические рекомендации", "Одобрено", "Математика", date(2025, 4, 1))
    assert first.co_authors == ("Кузнецова М. И.",)


def test_a_deleted_or_unknown_teacher_is_not_found(db, records, anna):
    records.delete("teachers", anna["id"])
    with pytest.raises(NotFound):
        teacher_card(db, anna["id"])
    with pytest.raises(NotFound):
        teacher_card(db, "no-such-id")
