"""The steps of экспертиза from the command line: the same workflow as the review dialog, one line per step."""
from __future__ import annotations

from app.cli import main
from app.services.materials.files import stage_file
from app.services.materials.review_criteria import default_sheet
from app.services.materials.review_state import material_review
from app.services.materials.save import MaterialChanges, save_material


def _draft(records, people, school, lesson_file) -> str:
    return save_material(records, None, MaterialChanges(
        values={"title": "Рабочая программа кружка «Робототехника»", "kind": "programme",
                "organization_id": school["id"], "subject": "Технология"},
        authors_added=[people["Орлова"]], files_added=[stage_file(records.db, lesson_file)]))["id"]


def _cli(db_path, *argv) -> int:
    return main(["--db", str(db_path), "review", *argv])


def test_a_material_goes_through_two_rounds_from_the_command_line(records, people, school, lesson_file, db_path,
                                                                  tmp_path, capsys):
    mid = _draft(records, people, school, lesson_file)
    assert _cli(db_path, "submit", "--material", mid, "--date", "01.02.2026") == 0
    assert "Заявка подана" in capsys.readouterr().out
    assert _cli(db_path, "assign", "--material", mid, "--expert", people["Кузнецов"], "--date", "02.02.2026",
                "--due", "12.02.2026") == 0
    review_id = capsys.readouterr().out.strip().rsplit(" ", 1)[-1].rstrip(".")
    codes = [c.code for c in default_sheet(records.db).criteria]

    # A refused step says why in Russian and changes nothing.
    assert _cli(db_path, "decide", "--material", mid, "--decision", "approved") == 1
    assert "Ждём: Кузнецов О. П. (срок 12.02.2026)" in capsys.readouterr().err
    assert _cli(db_path, "score", "--review", review_id, "--score", f"{codes[0]}=99", "--conclusion", "Хорошо",
                "--recommendation", "revision") == 1
    assert "больше максимального" in capsys.readouterr().err
    assert _cli(db_path, "score", "--review", review_id, "--score", "четыре", "--conclusion", "Хорошо",
                "--recommendation", "revision") == 1
    assert "КОД=БАЛЛ" in capsys.readouterr().err
    assert material_review(records.db, mid).round_reviews()[0].is_pending

    scores = [arg for code in codes for arg in ("--score", f"{code}=3,5")]
    assert _cli(db_path, "score", "--review", review_id, *scores, "--conclusion", "Нужны примеры заданий",
                "--recommendation", "revision", "--date", "10.02.2026") == 0
    assert f"сумма баллов {3.5 * len(codes):g}".replace(".", ",") in capsys.readouterr().out
    assert _cli(db_path, "decide", "--material", mid, "--decision", "revision", "--comment", "Добавить задания",
                "--protocol", "3", "--date", "15.02.2026") == 0
    assert "на доработку" in capsys.readouterr().out

    revised = tmp_path / "урок-2.docx"
    revised.write_bytes(b"PK\x03\x04 lesson plan version 2" * 50)
    assert _cli(db_path, "revise", "--material", mid, "--file", str(revised), "--date", "20.02.2026") == 0
    assert "раунд 2" in capsys.readouterr().out

    assert _cli(db_path, "show", "--material", mid) == 0
    shown = capsys.readouterr().out
    assert "Состояние: Подана заявка; раунд 2" in shown
    total = f"{3.5 * len(codes):g}".replace(".", ",")
    assert f"Раунд 1: экспертиза {review_id} — Кузнецов О. П., срок 12.02.2026: На доработку, баллов: {total}" in shown
    assert "Решение раунда 1 от 15.02.2026, протокол № 3: На доработку — Добавить задания" in shown
    assert "Файлы раунда: урок-2.docx" in shown
    state = material_review(records.db, mid)
    assert state.current_round == 2 and [d.decision for d in state.decisions] == ["revision"]


def test_an_expert_cannot_be_an_author_and_an_unknown_expert_is_named(records, people, school, lesson_file,
                                                                      db_path, capsys):
    mid = _draft(records, people, school, lesson_file)
    assert _cli(db_path, "submit", "--material", mid) == 0
    capsys.readouterr()
    assert _cli(db_path, "assign", "--material", mid, "--expert", people["Орлова"]) == 1
    assert capsys.readouterr().err.strip() == "Ошибка: Автор материала не может быть его экспертом."
    assert _cli(db_path, "assign", "--material", mid, "--expert", "112-233-445 95") == 1
    assert "112-233-445 95" in capsys.readouterr().err
    assert material_review(records.db, mid).reviews == ()
