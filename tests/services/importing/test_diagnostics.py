"""Importing group diagnostics results: teachers must exist; a column per competence; deficits below 60 %."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.common.errors import ServiceError
from app.services.importing.headers import max_score_in_header
from app.services.importing.spreadsheet_import import DIAGNOSTICS, FIO, SCORE_PREFIX, detect, run_import
from app.storage.models import Diagnostic, DiagnosticResult
from tests.services.importing.builders import SNILS_IVANOVA
from tests.services.importing.builders_development import (
    DEFAULT_DATE, DIAGNOSTICS_REJECTED, HELD_ON, INSTRUMENT, diagnostic_rows, diagnostics_workbook,
)


@pytest.fixture
def teachers(records) -> dict[str, str]:
    ivanova = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                          "snils": SNILS_IVANOVA, "birth_date": "12.03.1985"})
    petrov = records.create("teachers", {"last_name": "Петров", "first_name": "Пётр", "middle_name": "Сергеевич"})
    sidorova = records.create("teachers", {"last_name": "Сидорова", "first_name": "Мария",
                                           "middle_name": "Ивановна"})
    return {"ivanova": ivanova["id"], "petrov": petrov["id"], "sidorova": sidorova["id"]}


@pytest.fixture
def xlsx(tmp_path):
    return diagnostics_workbook(tmp_path / "диагностика.xlsx", diagnostic_rows(SNILS_IVANOVA))


def _plan(path, **kw):
    plan = detect(path, DIAGNOSTICS, default_date=kw.get("date", DEFAULT_DATE),
                  default_instrument=kw.get("instrument", INSTRUMENT))
    return plan


def _stored(db) -> dict[tuple[str, object], dict[str, tuple[float, float, bool]]]:
    with db.session() as s:
        out = {}
        for d in s.scalars(select(Diagnostic).where(Diagnostic.deleted_at.is_(None))):
            results = s.scalars(select(DiagnosticResult).where(DiagnosticResult.diagnostic_id == d.id))
            out[(d.teacher_id, d.held_on, d.instrument)] = {
                r.competence: (r.score, r.max_score, r.is_deficit) for r in results}
        return out


def test_competence_columns_are_found_by_their_labels(xlsx):
    plan = _plan(xlsx)
    assert plan.header_row == 3 and plan.problems() == []
    assert list(plan.mapping.values()) == [None, FIO, "snils", "held_on", SCORE_PREFIX + "subject",
                                           SCORE_PREFIX + "digital", SCORE_PREFIX + "functional_literacy"]
    assert max_score_in_header("Цифровые образовательные технологии (из 10)") == 10
    assert max_score_in_header("Предметные знания, макс. 20") == 20
    assert max_score_in_header("Предметные знания") is None


def test_a_plan_without_date_or_instrument_cannot_run(db, xlsx, tmp_path):
    plan = detect(xlsx, DIAGNOSTICS)
    assert any("инструмент" in p for p in plan.problems())
    with pytest.raises(ServiceError):
        run_import(db, plan)


def test_the_results_of_a_group(db, teachers, xlsx):
    result = run_import(db, _plan(xlsx))
    assert result.committed
    assert (result.created, result.updated, result.unchanged, result.rejected_rows) == (2, 0, 0, 3)
    assert [(r.row_number, r.column, r.reason) for r in result.rejected] == DIAGNOSTICS_REJECTED
    assert "результатов диагностики" in result.summary_lines()[0]
    assert _stored(db) == {
        (teachers["ivanova"], HELD_ON, INSTRUMENT): {
            "subject": (85.0, 100.0, False), "digital": (5.0, 10.0, True), "functional_literacy": (40.0, 100.0, True)},
        (teachers["petrov"], DEFAULT_DATE, INSTRUMENT): {
            "subject": (70.0, 100.0, False), "digital": (9.0, 10.0, False)},
    }


def test_importing_again_changes_nothing(db, teachers, xlsx, records):
    run_import(db, _plan(xlsx))
    before = _stored(db)
    again = run_import(db, _plan(xlsx))
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 2, False)
    assert _stored(db) == before
    assert records.count("diagnostic_results") == 5

    # Another instrument is another diagnostic.
    other = run_import(db, _plan(xlsx, instrument="Самооценка"))
    assert (other.created, other.committed) == (2, True)
    assert records.count("diagnostics") == 4


def test_a_changed_score_updates_the_stored_result(db, teachers, tmp_path):
    rows = diagnostic_rows(SNILS_IVANOVA)
    first = {4: rows[4]}
    run_import(db, _plan(diagnostics_workbook(tmp_path / "1.xlsx", first)))
    changed = {4: list(rows[4])}
    changed[4][4] = 50
    result = run_import(db, _plan(diagnostics_workbook(tmp_path / "2.xlsx", changed)))
    assert (result.created, result.updated, result.committed) == (0, 1, True)
    stored = _stored(db)[(teachers["ivanova"], HELD_ON, INSTRUMENT)]
    assert stored["subject"] == (50.0, 100.0, True)


def test_all_or_nothing_writes_nothing(db, teachers, xlsx, records):
    result = run_import(db, _plan(xlsx), all_or_nothing=True)
    assert not result.committed and result.created == 2 and result.rejected_rows == 3
    assert records.count("diagnostics") == 0 and records.count("diagnostic_results") == 0


def test_teacher_by_snils_only_and_unknown_snils(db, teachers, tmp_path):
    from openpyxl import Workbook
    from tests.services.importing.builders import snils

    wb = Workbook()
    ws = wb.active
    ws.append(["Результаты диагностики"])
    ws.append(["СНИЛС", "Инструмент", "Цифровые образовательные технологии"])
    ws.append([SNILS_IVANOVA.replace("-", "").replace(" ", ""), "Тест", 55])
    ws.append([snils("999888777"), "Тест", 90])
    path = tmp_path / "снилс.xlsx"
    wb.save(path)
    result = run_import(db, detect(path, DIAGNOSTICS, default_date=HELD_ON))
    assert result.created == 1
    assert [(r.row_number, r.column) for r in result.rejected] == [(4, "A (СНИЛС)")]
    assert "не найден в базе" in result.rejected[0].reason
    assert _stored(db) == {(teachers["ivanova"], HELD_ON, "Тест"): {"digital": (55.0, 100.0, True)}}


def test_fio_in_three_columns_and_a_birth_date_tells_namesakes_apart(db, records, tmp_path):
    from openpyxl import Workbook

    records.create("teachers", {"last_name": "Орлова", "first_name": "Елена", "middle_name": "Викторовна",
                                "birth_date": "01.06.1975"})
    younger = records.create("teachers", {"last_name": "Орлова", "first_name": "Елена", "middle_name": "Викторовна",
                                          "birth_date": "02.02.1990"})
    wb = Workbook()
    ws = wb.active
    ws.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Дата диагностики", "Методика",
               "Воспитательная работа", "Управленческие компетенции (макс. 5)"])
    ws.append(["Орлова", "Елена", "Викторовна", "02.02.1990", "15.10.2025", "Анкета", 59, 3])
    ws.append(["Орлова", "Елена", "Викторовна", None, "15.10.2025", "Анкета", 70, 4])
    path = tmp_path / "три.xlsx"
    wb.save(path)
    result = run_import(db, detect(path, DIAGNOSTICS))
    assert result.created == 1
    assert [(r.row_number, r.column) for r in result.rejected] == [(3, "A (Фамилия)")]
    assert "несколько педагогов" in result.rejected[0].reason
    assert _stored(db) == {(younger["id"], HELD_ON, "Анкета"): {
        "upbringing": (59.0, 100.0, True), "management": (3.0, 5.0, False)}}


def test_new_deficits_get_a_programme_proposed(db, teachers, xlsx, records):
    short = records.create("programmes", {"title": "Грамотность за 36 часов", "hours": 36, "form": "distance",
                                          "competences": "functional_literacy,digital"})
    records.create("programmes", {"title": "Грамотность за 72 часа", "hours": 72, "form": "distance",
                                  "competences": "functional_literacy"})
    run_import(db, _plan(xlsx))
    with db.read() as s:
        proposed = {(r.competence, r.score): r.proposed_programme_id
                    for r in s.scalars(select(DiagnosticResult))}
    # Ivanova: digital 5 of 10 and functional literacy 40 are deficits; subject 85 and Petrov's 70 and 9 are not.
    assert proposed == {("subject", 85.0): None, ("digital", 5.0): short["id"],
                        ("functional_literacy", 40.0): short["id"], ("subject", 70.0): None, ("digital", 9.0): None}
