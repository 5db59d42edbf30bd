"""The expert conclusion and the council's protocol as PDF, read back with pypdf."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from app.export.pdf_review import write_conclusion_pdf, write_protocol_pdf
from app.services.materials import review_workflow as wf
from app.services.common.errors import ServiceError
from app.services.materials.files import stage_file
from app.services.materials.save import MaterialChanges, save_material
from app.services.materials.review_criteria import default_sheet


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(path)).pages))


@pytest.fixture
def reviewed(records, people, school, lesson_file):
    mid = save_material(records, None, MaterialChanges(
        values={"title": "Методические рекомендации по наставничеству", "kind": "guidelines",
                "organization_id": school["id"], "subject": "Управление"},
        authors_added=[people["Орлова"]], files_added=[stage_file(records.db, lesson_file)]))["id"]
    wf.submit(records, mid, on="01.02.2026")
    sheet = default_sheet(records.db)
    a = wf.assign_expert(records, mid, people["Кузнецов"], assigned_on="02.02.2026", due_on="12.02.2026")
    b = wf.assign_expert(records, mid, people["Смирнова"], assigned_on="02.02.2026")
    wf.score_review(records, a, {c.code: 4 for c in sheet.criteria}, "Материал актуален и полезен", "approved",
                    "10.02.2026")
    return {"material": mid, "scored": a, "pending": b}


def test_the_conclusion_lists_every_criterion_score_and_total(records, reviewed, tmp_path):
    path = write_conclusion_pdf(records.db, reviewed["scored"], tmp_path / "заключение.pdf")
    text = _text(path)
    assert "Экспертное заключение" in text
    assert "Методические рекомендации по наставничеству" in text
    assert "Кузнецов Олег Петрович" in text and "Орлова М. И." in text
    assert "Соответствие требованиям ФГОС" in text
    assert "Итого 40 32" in text and "(80 %)" in text
    assert "Материал актуален и полезен" in text and "Одобрено" in text
    assert "/Кузнецов О. П./" in text and "Дата: 10.02.2026" in text


def test_no_conclusion_before_the_expert_scored(records, reviewed, tmp_path):
    with pytest.raises(ServiceError, match="ещё не дал заключение"):
        write_conclusion_pdf(records.db, reviewed["pending"], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_the_protocol_shows_totals_and_the_decision(records, reviewed, people, tmp_path):
    sheet = default_sheet(records.db)
    wf.score_review(records, reviewed["pending"], {c.code: 3 for c in sheet.criteria}, "Доработать оформление",
                    "revision", "11.02.2026")
    wf.decide(records, reviewed["material"], "approved", protocol_number="2", decided_on="15.02.2026")
    other = save_material(records, None, MaterialChanges(values={"title": "Сборник КИМ по химии", "kind": "kim"}))
    path = write_protocol_pdf(records.db, [reviewed["material"], other["id"]], tmp_path / "протокол.pdf",
                              number="2", held_on=__import__("datetime").date(2026, 2, 15))
    text = _text(path)
    assert "Протокол заседания методического совета № 2" in text and "от 15.02.2026" in text
    assert "Кузнецов О. П.: 32 из 40 (одобрено)" in text
    assert "Смирнова Е. А.: 24 из 40 (на доработку)" in text
    assert "28" in text and "Одобрено" in text
    assert "Сборник КИМ по химии" in text and "решение не принято" in text
    assert "Председатель" in text and "Секретарь" in text


def test_the_documents_from_the_command_line(records, reviewed, db_path, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "cli" / "заключение.pdf"
    assert main(["--db", str(db_path), "document", "review-conclusion", "--review", reviewed["scored"],
                 "--out", str(out)]) == 0
    assert "Итого 40 32" in _text(out)
    assert main(["--db", str(db_path), "document", "review-conclusion", "--review", reviewed["pending"],
                 "--out", str(tmp_path / "none.pdf")]) == 1
    assert "ещё не дал заключение" in capsys.readouterr().err
    protocol = tmp_path / "cli" / "протокол.pdf"
    assert main(["--db", str(db_path), "document", "review-protocol", "--material", reviewed["material"],
                 "--number", "7", "--date", "20.02.2026", "--out", str(protocol)]) == 0
    text = _text(protocol)
    assert "№ 7" in text and "от 20.02.2026" in text and "Кузнецов О. П.: 32 из 40" in text
