"""The credits ledger on a hand-checked case."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.development import credits_ledger, ledger_rows, teacher_info
from app.services.common.errors import NotFound
from app.storage.models import AppMeta


def test_sums_by_year_kind_formality_and_total(db, case):
    ledger = credits_ledger(db, case.teacher["id"])
    assert [(y.year, y.items, y.hours, y.credits) for y in ledger.by_year] == [
        (2023, 1, 72.0, 2.0),      # the course
        (2024, 1, 18.0, 0.5),      # dated by its document; the cancelled 2024 item and the deleted route do not count
        (2025, 1, 36.0, 1.0),      # 36 h stored with 0 credits → 1.0 computed
    ]
    assert (ledger.total_items, ledger.total_hours, ledger.total_credits) == (3, 126.0, 3.5)
    assert ledger.hours_per_credit == 36
    assert [(g.key, g.items, g.hours, g.credits) for g in ledger.by_kind] == [
        ("programme", 1, 72.0, 2.0), ("internship", 1, 18.0, 0.5), ("event", 1, 36.0, 1.0)]
    assert [(g.key, g.label, g.hours, g.credits) for g in ledger.by_formality] == [
        ("formal", "Формальное", 90.0, 2.5), ("non_formal", "Неформальное", 36.0, 1.0)]
    assert ledger.year(2024).credits == 0.5 and ledger.year(2022) is None


def test_rows_list_each_completed_item_with_labels_and_documents(db, case):
    rows = ledger_rows(db, case.teacher["id"])
    assert [r.title for r in rows] == ["Формирование функциональной грамотности", "Стажировка на базе МБОУ СОШ № 5",
                                       "Семинар «Цифровая школа»"]
    course, internship, seminar = rows
    assert (course.on, course.kind_label, course.formality_label, course.document_number, course.document_date) == (
        date(2023, 3, 20), "Программа повышения квалификации", "Формальное", "У-123", date(2023, 3, 21))
    assert internship.on == date(2024, 5, 16) and internship.year == 2024
    assert (seminar.credits, seminar.credits_computed, course.credits_computed) == (1.0, True, False)
    assert seminar.kind_label == "Мероприятие" and seminar.formality_label == "Неформальное"


def test_hours_per_credit_setting_is_used_for_computed_credits(db, case):
    with db.session() as s:
        s.merge(AppMeta(key="hours_per_credit", value="24"))
    ledger = credits_ledger(db, case.teacher["id"])
    assert ledger.hours_per_credit == 24
    assert ledger.year(2025).credits == 1.5            # 36 h / 24
    assert ledger.year(2023).credits == 2.0            # stored credits stay as stored
    assert ledger.total_credits == 4.0


def test_other_teachers_items_and_empty_ledger(db, case, records):
    other = credits_ledger(db, case.other["id"])
    assert [r.title for r in other.rows] == ["Курс другого педагога"] and other.total_credits == 1.0
    nobody = records.create("teachers", {"last_name": "Новикова", "first_name": "Ирина"})
    empty = credits_ledger(db, nobody["id"])
    assert (empty.rows, empty.by_year, empty.total_hours, empty.total_credits) == ((), (), 0.0, 0.0)


def test_restoring_the_deleted_route_brings_its_credits_back(db, case, records):
    records.restore("trajectories", case.deleted_route["id"])
    ledger = credits_ledger(db, case.teacher["id"])
    assert ledger.year(2024).credits == 4.5 and ledger.total_credits == 7.5


def test_three_year_clock_follows_the_last_formal_course(db, case):
    info = teacher_info(db, case.teacher["id"], today=date(2025, 6, 1))
    # The 2024 internship is formal but not a programme; the 2025 seminar is non-formal.
    assert info.last_pd_on == date(2023, 3, 20)
    assert (info.pd_due, info.pd_status) == (date(2026, 3, 20), "ok")
    assert teacher_info(db, case.teacher["id"], today=date(2025, 10, 1)).pd_status == "due_soon"
    assert teacher_info(db, case.teacher["id"], today=date(2026, 3, 21)).pd_status_label == "просрочено"


def test_unknown_teacher_is_refused(db):
    with pytest.raises(NotFound, match="не найден"):
        credits_ledger(db, "00000000-0000-4000-8000-000000000000")
