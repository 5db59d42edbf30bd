"""Importing programmes: hours and credits, form and status, provider, matched by registry number or title."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.services.importing.spreadsheet_import import PROGRAMMES, PROVIDER, detect, import_file, run_import
from app.storage.models import Programme
from tests.services.importing.builders_development import (
    ACADEMY, PROGRAMME_ROWS, PROGRAMMES_REJECTED, programmes_workbook,
)


def _programmes(db) -> dict[str, Programme]:
    with db.session() as s:
        rows = list(s.scalars(select(Programme).where(Programme.deleted_at.is_(None))))
        s.expunge_all()
    return {p.title: p for p in rows}


def test_detects_the_header_under_a_title_row(tmp_path):
    plan = detect(programmes_workbook(tmp_path / "программы.xlsx"), PROGRAMMES)
    assert plan.header_row == 3 and plan.problems() == []
    assert list(plan.mapping.values()) == [None, "title", PROVIDER, "hours", "credits", "form", "registry_number",
                                           "certification_status", "certified_until", "competences", "description"]


def test_the_register_of_programmes(db, school, tmp_path):
    result = import_file(db, programmes_workbook(tmp_path / "программы.xlsx"), PROGRAMMES)
    assert result.committed
    assert (result.created, result.updated, result.unchanged, result.rejected_rows) == (3, 0, 0, 4)
    assert [(r.row_number, r.column, r.reason) for r in result.rejected] == PROGRAMMES_REJECTED
    assert "Импорт программ" in result.summary_lines()[0]

    got = _programmes(db)
    assert len(got) == 3
    literacy = got["Формирование функциональной грамотности школьников"]
    assert literacy.provider_id == school["id"] and literacy.provider_name == ""
    assert (literacy.hours, literacy.credits, literacy.form) == (72, 2.0, "full_time")     # credits from hours
    assert (literacy.registry_number, literacy.certification_status) == ("ФР-2024-0012", "certified")
    assert literacy.certified_until == date(2026, 12, 31)
    assert literacy.competences == "functional_literacy,assessment"
    assert literacy.description == "Кейсы и практикумы."
    digital = got["Цифровая образовательная среда"]
    assert digital.provider_id is None and digital.provider_name == ACADEMY
    assert (digital.hours, digital.credits, digital.form, digital.certification_status) == (
        36, 1.5, "distance", "in_review")
    assert digital.competences == "digital"
    inclusive = got["Инклюзивное образование"]
    assert (inclusive.hours, inclusive.credits, inclusive.form) == (24, 0.67, "mixed")
    assert inclusive.competences == "inclusive"


def test_importing_again_changes_nothing_and_changes_are_matched(db, school, tmp_path):
    path = programmes_workbook(tmp_path / "программы.xlsx")
    import_file(db, path, PROGRAMMES)
    with db.session() as s:
        versions = dict(s.execute(select(Programme.id, Programme.row_version)).all())
    again = import_file(db, path, PROGRAMMES)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 3, False)
    with db.session() as s:
        assert dict(s.execute(select(Programme.id, Programme.row_version)).all()) == versions

    # By registry number under a new title; by title and provider without a number.
    rows = {4: list(PROGRAMME_ROWS[4]), 5: list(PROGRAMME_ROWS[5])}
    rows[4][1] = "Функциональная грамотность: новая редакция"
    rows[5][3] = 48
    changed = import_file(db, programmes_workbook(tmp_path / "новые.xlsx", rows), PROGRAMMES)
    assert (changed.created, changed.updated, changed.unchanged, changed.committed) == (0, 2, 0, True)
    got = _programmes(db)
    assert len(got) == 3
    assert got["Функциональная грамотность: новая редакция"].registry_number == "ФР-2024-0012"
    assert (got["Цифровая образовательная среда"].hours, got["Цифровая образовательная среда"].credits) == (48, 1.5)


def test_all_or_nothing_writes_nothing(db, school, tmp_path, records):
    plan = detect(programmes_workbook(tmp_path / "программы.xlsx"), PROGRAMMES)
    result = run_import(db, plan, all_or_nothing=True)
    assert not result.committed and result.created == 3 and result.rejected_rows == 4
    assert "всё или ничего" in result.outcome()
    assert records.count("programmes") == 0


def test_cancel_rolls_back(db, school, tmp_path, records):
    plan = detect(programmes_workbook(tmp_path / "программы.xlsx"), PROGRAMMES)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    result = run_import(db, plan, is_cancelled=cancelled)
    assert result.cancelled and not result.committed
    assert records.count("programmes") == 0


def test_credits_entered_by_hand_survive_a_file_without_credits(db, school, tmp_path, records):
    path = programmes_workbook(tmp_path / "программы.xlsx", {4: PROGRAMME_ROWS[4]})
    import_file(db, path, PROGRAMMES)
    stored = records.list("programmes").rows[0]
    records.update("programmes", stored["id"], {"credits": 2.5})
    again = import_file(db, path, PROGRAMMES)
    assert (again.updated, again.unchanged) == (0, 1)
    assert _programmes(db)["Формирование функциональной грамотности школьников"].credits == 2.5


def test_hours_per_credit_setting(db, school, tmp_path):
    from app.storage.models import AppMeta

    with db.session() as s:
        existing = s.get(AppMeta, "hours_per_credit")
        if existing is None:
            s.add(AppMeta(key="hours_per_credit", value="24"))
        else:
            existing.value = "24"
    import_file(db, programmes_workbook(tmp_path / "п.xlsx", {4: PROGRAMME_ROWS[4]}), PROGRAMMES)
    assert _programmes(db)["Формирование функциональной грамотности школьников"].credits == 3.0
