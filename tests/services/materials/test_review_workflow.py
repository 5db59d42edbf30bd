"""The order of экспертиза enforced by the services, with the database state after each step."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app.services.materials import review_workflow as wf
from app.services.common.errors import ServiceError
from app.services.materials.save import MaterialChanges, save_material
from app.services.materials.files import stage_file
from app.services.materials.review_criteria import default_sheet
from app.services.materials.review_state import material_review


def _material(records, people, school, lesson_file, **extra):
    changes = MaterialChanges(
        values={"title": "Урок-исследование «Дроби вокруг нас»", "kind": "lesson_plan", "subject": "Математика",
                "level": "basic", "keywords": "дроби, исследование", "organization_id": school["id"],
                "description": "Технологическая карта урока с заданиями на функциональную грамотность", **extra},
        authors_added=[people["Орлова"]],
        files_added=[stage_file(records.db, lesson_file)])
    return save_material(records, None, changes)["id"]


def _full_scores(value=None):
    sheet = default_sheet_for_test()
    return {c.code: (c.max_score if value is None else value) for c in sheet.criteria}


_SHEET = {}


def default_sheet_for_test():
    return _SHEET["sheet"]


@pytest.fixture(autouse=True)
def _sheet(db):
    _SHEET["sheet"] = default_sheet(db)


def test_the_default_sheet_is_seeded_from_the_regulations(db):
    sheet = default_sheet(db)
    assert sheet.is_default and len(sheet.criteria) == 8
    assert sheet.criteria[1].code == "fgos" and "ФГОС" in sheet.criteria[1].title
    assert sheet.max_total == 40


def test_a_material_goes_through_two_rounds_to_the_bank(records, people, school, lesson_file, tmp_path):
    mid = _material(records, people, school, lesson_file)
    assert records.get("materials", mid)["status"] == "draft"
    with pytest.raises(ServiceError, match="Нельзя принять решение: .* в состоянии «Черновик»"):
        wf.decide(records, mid, "approved")
    wf.submit(records, mid, on="01.03.2026")
    assert records.get("materials", mid)["status"] == "submitted"
    with pytest.raises(ServiceError, match="Подана заявка"):
        wf.submit(records, mid)

    with pytest.raises(ServiceError, match="Автор материала не может быть его экспертом"):
        wf.assign_expert(records, mid, people["Орлова"])
    first = wf.assign_expert(records, mid, people["Кузнецов"], assigned_on="02.03.2026", due_on="16.03.2026")
    second = wf.assign_expert(records, mid, people["Смирнова"], assigned_on="02.03.2026")
    with pytest.raises(ServiceError, match="уже назначен в раунде 1"):
        wf.assign_expert(records, mid, people["Смирнова"])
    state = material_review(records.db, mid)
    assert state.status == "in_review" and [r.round for r in state.reviews] == [1, 1]
    assert state.round_reviews()[1].due_on == date(2026, 3, 16)          # 14 days by default
    assert state.round_reviews()[0].sheet.id == default_sheet_for_test().id

    with pytest.raises(ServiceError, match="Ждём: Кузнецов О. П. \\(срок 16.03.2026\\), Смирнова Е. А."):
        wf.decide(records, mid, "approved")
    with pytest.raises(ServiceError, match="больше максимального \\(5\\)"):
        wf.score_review(records, first, {**_full_scores(), "novelty": 6}, "Хорошо", "approved", "10.03.2026")
    with pytest.raises(ServiceError, match="Не выставлен балл по критерию «Новизна"):
        wf.score_review(records, first, {k: v for k, v in _full_scores().items() if k != "novelty"}, "Хорошо",
                        "approved", "10.03.2026")
    with pytest.raises(ServiceError, match="заключение"):
        wf.score_review(records, first, _full_scores(), "  ", "approved", "10.03.2026")
    assert records.get("reviews", first)["decision"] == "pending"       # nothing half written

    assert wf.score_review(records, first, _full_scores(3), "Нужно уточнить результаты", "revision",
                           "10.03.2026") == 24
    wf.score_review(records, second, {**_full_scores(4), "design": "2,5"}, "Оформление", "revision", "11.03.2026")
    stored = records.get("reviews", second)
    assert json.loads(stored["scores"])["design"] == 2.5 and stored["total_score"] == 30.5
    with pytest.raises(ServiceError, match="почему"):
        wf.decide(records, mid, "revision")
    wf.decide(records, mid, "На доработку", comment="Уточнить планируемые результаты", protocol_number="3",
              decided_on="12.03.2026")
    assert records.get("materials", mid)["status"] == "revision"
    with pytest.raises(ServiceError, match="На доработку"):
        wf.assign_expert(records, mid, people["Волков"])

    with pytest.raises(ServiceError, match="не отличается"):
        wf.submit_revision(records, mid, [lesson_file])
    revised = tmp_path / "урок_v2.docx"
    revised.write_bytes(b"PK\x03\x04 lesson plan version 2")
    assert wf.submit_revision(records, mid, [revised], on="20.03.2026") == 2
    state = material_review(records.db, mid)
    assert (state.status, state.current_round) == ("submitted", 2)
    assert [f.file_name for f in state.round_files(2)] == ["урок_v2.docx"]
    assert [f.file_name for f in state.round_files(1)] == ["урок.docx"]

    third = wf.assign_expert(records, mid, people["Волков"], assigned_on="21.03.2026")
    assert material_review(records.db, mid).round_reviews()[0].id == third
    wf.score_review(records, third, _full_scores(), "Рекомендую", "approved", "25.03.2026")
    with pytest.raises(ServiceError, match="раньше последнего заключения"):
        wf.decide(records, mid, "approved", decided_on="24.03.2026")
    wf.decide(records, mid, "approved", decided_on="26.03.2026")
    state = material_review(records.db, mid)
    assert state.status == "approved"
    assert [(d.round, d.decision, d.decided_by) for d in state.decisions] == [
        (1, "revision", "tester"), (2, "approved", "tester")]
    assert state.decisions[0].comment == "Уточнить планируемые результаты"
    bank = records.list("best_practices", search="функциональную грамотность").rows
    assert [r["id"] for r in bank] == [mid]
    with pytest.raises(ServiceError, match="Одобрено"):
        wf.submit_revision(records, mid, [tmp_path / "урок_v2.docx"])


def test_submitting_needs_authors_and_a_file(records, school, lesson_file):
    bare = save_material(records, None, MaterialChanges(values={"title": "Статья", "kind": "article"}))["id"]
    with pytest.raises(ServiceError, match="укажите авторов"):
        wf.submit(records, bare)
    assert records.get("materials", bare)["status"] == "draft"


def test_an_expert_can_be_withdrawn_until_the_conclusion(records, people, school, lesson_file):
    mid = _material(records, people, school, lesson_file)
    wf.submit(records, mid)
    rid = wf.assign_expert(records, mid, people["Кузнецов"])
    wf.unassign_expert(records, rid)
    assert records.get("materials", mid)["status"] == "submitted"
    assert records.count("reviews") == 0
    rid = wf.assign_expert(records, mid, people["Кузнецов"])
    wf.score_review(records, rid, _full_scores(), "Отлично", "approved")
    with pytest.raises(ServiceError, match="уже дал заключение"):
        wf.unassign_expert(records, rid)


def test_overdue_reviews_are_filtered(records, people, school, lesson_file):
    mid = _material(records, people, school, lesson_file)
    wf.submit(records, mid)
    today = date.today()
    late = wf.assign_expert(records, mid, people["Кузнецов"], assigned_on=today - timedelta(days=30),
                            due_on=today - timedelta(days=2))
    wf.assign_expert(records, mid, people["Смирнова"], due_on=today + timedelta(days=5))
    assert [r["id"] for r in records.list("reviews", filters={"deadline": "overdue"}).rows] == [late]
    assert records.count("reviews", filters={"deadline": "pending"}) == 2


def test_a_sheet_in_use_keeps_its_criteria_and_cannot_be_deleted(records, people, school, lesson_file):
    from app.services.materials.review_criteria import Criterion, get_sheet, save_sheet

    sheet = default_sheet_for_test()
    mid = _material(records, people, school, lesson_file)
    wf.submit(records, mid)
    wf.assign_expert(records, mid, people["Кузнецов"])
    changed = [Criterion(c.id, c.code, c.title, 10 if c.code == "novelty" else c.max_score) for c in sheet.criteria]
    with pytest.raises(ServiceError, match="менять нельзя"):
        save_sheet(records, sheet.id, sheet.title, sheet.description, True, changed)
    renamed = [Criterion(c.id, c.code, c.title + " (уточнено)" if c.code == "novelty" else c.title, c.max_score)
               for c in sheet.criteria]
    save_sheet(records, sheet.id, sheet.title, sheet.description, True, renamed)
    assert get_sheet(records.db, sheet.id).criteria[2].title.endswith("(уточнено)")
    with pytest.raises(ServiceError, match="нельзя удалить"):
        records.delete("criteria_sheets", sheet.id)
