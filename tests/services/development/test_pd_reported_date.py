"""A last-PD date typed or imported for a teacher survives route writes; the routes can only move it later."""
from __future__ import annotations

from datetime import date


def _teacher(records, **values):
    return records.create("teachers", {"last_name": "Петрова", "first_name": "Анна", "middle_name": "Сергеевна",
                                       "career_start": "01.09.2003", **values})


def _route(records, teacher_id):
    return records.create("trajectories", {"teacher_id": teacher_id, "period_start": "01.09.2024",
                                           "period_end": "31.08.2025", "status": "active"})["id"]


def test_typed_date_survives_a_route_with_only_non_formal_items(records):
    teacher = _teacher(records, last_pd_on="15.03.2022")
    route = _route(records, teacher["id"])
    records.create("trajectory_items", {"trajectory_id": route, "kind": "event", "formality": "non_formal",
                                        "title": "Вебинар", "status": "completed", "hours": 2,
                                        "actual_end": "10.11.2024"})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2022, 3, 15)


def test_a_later_course_moves_the_date_and_deleting_it_moves_it_back(records):
    teacher = _teacher(records, last_pd_on="15.03.2022")
    route = _route(records, teacher["id"])
    course = records.create("trajectory_items", {"trajectory_id": route, "kind": "programme", "formality": "formal",
                                                 "title": "Курсы ПК", "status": "completed", "hours": 36,
                                                 "actual_end": "20.12.2024"})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2024, 12, 20)
    records.delete("trajectory_items", course["id"])
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2022, 3, 15)


def test_an_earlier_typed_date_does_not_hide_a_later_course(records):
    teacher = _teacher(records)
    route = _route(records, teacher["id"])
    records.create("trajectory_items", {"trajectory_id": route, "kind": "programme", "formality": "formal",
                                        "title": "Курсы ПК", "status": "completed", "hours": 36,
                                        "actual_end": "20.12.2024"})
    records.update("teachers", teacher["id"], {"last_pd_on": "01.02.2021"})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2024, 12, 20)
    records.update("teachers", teacher["id"], {"last_pd_on": "01.02.2025"})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2025, 2, 1)
