"""The diagnostic form: a score per competence, deficits below 60 %, programmes proposed from the catalogue."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.storage.models import DiagnosticResult
from app.ui.development.diagnostic_results import NO_PROGRAMME, DiagnosticResultsEditor
from app.ui.common.record_dialog import RecordDialog
from tests.services.development.conftest import make_teacher


@pytest.fixture
def catalogue(records) -> dict[str, dict]:
    today = date.today()

    def programme(title, hours, status="none", until=None, competences="functional_literacy"):
        return records.create("programmes", {"title": title, "hours": hours, "form": "distance",
                                             "certification_status": status, "certified_until": until,
                                             "competences": competences})

    return {
        "long": programme("Функциональная грамотность: полный курс", 72, "certified", today + timedelta(days=400)),
        "short": programme("Читательская грамотность", 36, "certified", today + timedelta(days=400)),
        "uncertified": programme("Математическая грамотность", 18),
        "expired": programme("Старый курс", 16, "certified", today - timedelta(days=1)),
        "rejected": programme("Отклонённый курс", 16, "rejected"),
        "digital": programme("Цифровая дидактика", 36, competences="digital,fgos"),
    }


def _results(db) -> dict[str, tuple[float, float, bool, str | None]]:
    with db.read() as s:
        return {r.competence: (r.score, r.max_score, r.is_deficit, r.proposed_programme_id)
                for r in s.scalars(select(DiagnosticResult).where(DiagnosticResult.deleted_at.is_(None)))}


def test_scores_deficits_and_proposed_programmes_saved_with_the_diagnostic(qtbot, db, records, catalogue):
    teacher = make_teacher(records, None, "Лебедева", "Ольга")
    dialog = RecordDialog(records, "diagnostics")
    qtbot.addWidget(dialog)
    dialog.show()
    results = dialog.related
    assert isinstance(results, DiagnosticResultsEditor)
    assert "Результаты по компетенциям" in dialog.sections
    dialog.editors["teacher_id"].set_record(teacher["id"], "Лебедева Ольга")
    dialog.editors["held_on"].set_value(date(2025, 10, 15))
    dialog.editors["instrument"].set_value("Диагностика ЦНППМ")

    # The catalogue's programmes for the competence: certified first, shorter first; ended and rejected left out.
    combo = results.programmes["functional_literacy"]
    assert [combo.itemData(i) for i in range(combo.count())] == [
        None, catalogue["short"]["id"], catalogue["long"]["id"], catalogue["uncertified"]["id"]]
    assert not combo.isEnabled()

    results.scores["functional_literacy"].setText("40")
    assert results.deficits["functional_literacy"].isChecked() and combo.isEnabled()
    assert combo.currentData() == catalogue["short"]["id"]            # the best one, proposed at once
    combo.setCurrentIndex(combo.findData(catalogue["uncertified"]["id"]))
    results.scores["subject"].setText("85")
    assert not results.deficits["subject"].isChecked()
    results.scores["digital"].setText("5")
    results.maxima["digital"].setText("10")                           # 5 of 10 is below 60 %
    assert results.deficits["digital"].isChecked()
    assert "Цифровые образовательные технологии → Цифровая дидактика" in results.deficit_text()
    assert dialog.save_button.isEnabled()
    assert dialog.save()

    assert _results(db) == {
        "functional_literacy": (40.0, 100.0, True, catalogue["uncertified"]["id"]),
        "subject": (85.0, 100.0, False, None),
        "digital": (5.0, 10.0, True, catalogue["digital"]["id"]),
    }

    # Opened again: what was saved is shown; a cleared score removes its result, a raised one ends the deficit.
    again = RecordDialog(records, "diagnostics", dialog.saved_id)
    qtbot.addWidget(again)
    shown = again.related
    assert shown.scores["functional_literacy"].text() == "40"
    assert shown.programmes["functional_literacy"].currentData() == catalogue["uncertified"]["id"]
    assert shown.maxima["digital"].text() == "10"
    shown.scores["subject"].setText("")
    shown.scores["digital"].setText("9")
    assert not shown.deficits["digital"].isChecked()
    assert shown.programmes["digital"].currentText() == NO_PROGRAMME
    assert again.save()
    assert _results(db) == {
        "functional_literacy": (40.0, 100.0, True, catalogue["uncertified"]["id"]),
        "digital": (9.0, 10.0, False, None),
    }


def test_a_score_that_is_not_a_number_blocks_saving(qtbot, records, catalogue):
    teacher = make_teacher(records, None, "Лебедева", "Ольга")
    dialog = RecordDialog(records, "diagnostics")
    qtbot.addWidget(dialog)
    dialog.editors["teacher_id"].set_record(teacher["id"], "Лебедева Ольга")
    dialog.editors["held_on"].set_value(date(2025, 10, 15))
    dialog.editors["instrument"].set_value("Анкета")
    dialog.related.scores["psychology"].setText("высокий")
    assert not dialog.save_button.isEnabled()
    assert "«высокий» не является числом" in dialog.general_error.text()
    assert not dialog.save()


def test_a_route_based_on_a_diagnostic_ticks_its_deficits(qtbot, records, catalogue):
    teacher = make_teacher(records, None, "Лебедева", "Ольга")
    diagnostic = records.create("diagnostics", {"teacher_id": teacher["id"], "held_on": date(2025, 10, 15),
                                                "instrument": "Анкета"})
    for code, score, deficit in (("digital", 30, True), ("subject", 90, False), ("assessment", 50, True)):
        records.create("diagnostic_results", {"diagnostic_id": diagnostic["id"], "competence": code,
                                              "score": score, "is_deficit": deficit})
    dialog = RecordDialog(records, "trajectories", preset={"teacher_id": teacher["id"]})
    qtbot.addWidget(dialog)
    dialog.editors["diagnostic_id"].set_record(diagnostic["id"], "Анкета")
    assert dialog.editors["deficits"].value() == "assessment,digital"
    dialog.editors["deficits"].boxes["assessment"].setChecked(False)
    dialog.editors["diagnostic_id"].set_record(diagnostic["id"], "Анкета")      # chosen again: the user's choice stays
    assert dialog.editors["deficits"].value() == "digital"


def test_diagnostics_list_filters_by_the_deficit_found(qtbot, records, catalogue):
    from app.ui.common.record_page import RecordPage
    from app.ui.shell.sections import Tab

    for last, code, score in (("Лебедева", "digital", 30), ("Петрова", "subject", 40), ("Сидорова", "digital", 90)):
        teacher = make_teacher(records, None, last, "Ольга")
        diagnostic = records.create("diagnostics", {"teacher_id": teacher["id"], "held_on": date(2025, 10, 15),
                                                    "instrument": "Анкета"})
        records.create("diagnostic_results", {"diagnostic_id": diagnostic["id"], "competence": code,
                                              "score": score, "is_deficit": score < 60})
    page = RecordPage(records, Tab("diagnostics", "Диагностика дефицитов"))
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    assert page.count() == 3 and page.filter_panel.isVisible()

    def teachers() -> list[str]:
        return sorted(page.model.index(r, 0).data().split()[0] for r in range(page.count()))

    page.filter_panel.set_filter("deficit", "digital")
    assert teachers() == ["Лебедева"]
    page.filter_panel.set_filter("deficit", "any")
    assert teachers() == ["Лебедева", "Петрова"]
