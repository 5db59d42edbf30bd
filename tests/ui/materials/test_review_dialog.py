"""The review window and the scoring dialog driven like a user: application, experts, scores, decision, new round."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pypdf import PdfReader

from app.services.materials import review_workflow as wf
from app.services.materials.save import MaterialChanges, attach_files, save_material
from app.ui.common.highlights import ALARM_BACKGROUND
from app.ui.materials.review_dialog import ReviewDialog
from app.ui.materials.review_score_dialog import ReviewScoreDialog

TODAY = date.today()


@pytest.fixture
def material(records, teachers, tmp_path):
    path = tmp_path / "рекомендации.docx"
    path.write_bytes(b"version one")
    mid = save_material(records, None, MaterialChanges(
        values={"title": "Рекомендации по работе с одарёнными детьми", "kind": "guidelines"},
        authors_added=[teachers["Иванов"]]))["id"]
    attach_files(records, mid, [path])
    return mid


def _window(qtbot, records, mid) -> ReviewDialog:
    dialog = ReviewDialog(records, mid)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _score(qtbot, records, review_id, value: str, conclusion: str, recommendation: str) -> ReviewScoreDialog:
    dialog = ReviewScoreDialog(records, review_id)
    qtbot.addWidget(dialog)
    for code in dialog.score_edits:
        dialog.set_score(code, value)
    dialog.conclusion_edit.setPlainText(conclusion)
    dialog.recommendation.setCurrentIndex(dialog.recommendation.findData(recommendation))
    return dialog


def test_the_whole_review_in_the_window(qtbot, records, teachers, material, tmp_path, message_answers):
    w = _window(qtbot, records, material)
    assert w.submit_button.isEnabled() and not w.assign_button.isEnabled() and not w.decide_button.isEnabled()
    qtbot.mouseClick(w.submit_button, Qt.MouseButton.LeftButton)
    assert "Подана заявка" in w.summary_label.text()
    assert records.get("materials", material)["status"] == "submitted"

    w.expert_editor.set_record(teachers["Иванов"], "Иванов Иван")
    assert not w.assign_chosen()                                    # the author
    assert message_answers["errors"][-1] == "Автор материала не может быть его экспертом."
    for last in ("Семёнов", "Фёдоров"):
        w.expert_editor.set_record(teachers[last], last)
        qtbot.mouseClick(w.assign_button, Qt.MouseButton.LeftButton)
    assert [row[1] for row in w.review_texts()] == ["Семёнов Андрей", "Фёдоров Пётр"]
    assert w.review_texts()[0][3] == (TODAY + timedelta(days=14)).strftime("%d.%m.%Y")
    assert "На экспертизе" in w.summary_label.text()

    qtbot.mouseClick(w.decide_button, Qt.MouseButton.LeftButton)        # no conclusions yet
    due = (TODAY + timedelta(days=14)).strftime("%d.%m.%Y")
    assert message_answers["errors"][-1] == ("Решение можно принять, когда все эксперты дадут заключения. "
                                             f"Ждём: Семёнов А. (срок {due}), Фёдоров П. (срок {due}).")
    assert records.count("material_decisions") == 0

    w.select_review(w._review_ids[0])
    assert w.score_button.isEnabled()
    first = _score(qtbot, records, w._review_ids[0], "6", "Хорошо", "revision")
    assert "исправьте" in first.total_label.text()
    assert not first.save()
    assert "больше максимального (5)" in first.error_label.text()
    for code in first.score_edits:
        first.set_score(code, "3")
    assert first.total_label.text() == "Итого: 24 из 40"
    assert first.save()
    second = _score(qtbot, records, w._review_ids[1], "4,5", "Уточнить результаты", "revision")
    assert second.save()
    w.reload()
    assert [row[4:6] for row in w.review_texts()] == [["24 из 40", "На доработку"], ["36 из 40", "На доработку"]]

    w.decision_combo.setCurrentIndex(w.decision_combo.findData("revision"))
    w.comment_edit.setPlainText("Дополнить диагностическими материалами")
    w.protocol_edit.setText("4")
    qtbot.mouseClick(w.decide_button, Qt.MouseButton.LeftButton)
    assert records.get("materials", material)["status"] == "revision"
    history = [[w.history.item(0, c).text() for c in range(w.history.columnCount())]]
    assert history == [["1", TODAY.strftime("%d.%m.%Y"), "На доработку", records.actor.name, "4",
                        "Дополнить диагностическими материалами"]]

    assert w.revision_button.isEnabled()
    revised = tmp_path / "рекомендации_v2.docx"
    revised.write_bytes(b"version two")
    assert w.submit_revision([str(revised)])
    assert "раунд 2" in w.summary_label.text() and "рекомендации_v2.docx" in w.summary_label.text()
    assert records.get("materials", material)["status"] == "submitted"
    assert not w.score_button.isEnabled()

    out = tmp_path / "протокол.pdf"
    task = w.save_protocol(str(out))
    qtbot.waitUntil(lambda: out.exists() and bool(message_answers["saved"]), timeout=10000)
    assert task is not None
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Протокол заседания методического совета № 4" in text and "На доработку" in text


def test_an_overdue_expert_is_shown_in_red(qtbot, records, teachers, material):
    wf.submit(records, material)
    wf.assign_expert(records, material, teachers["Семёнов"], assigned_on=TODAY - timedelta(days=20),
                     due_on=TODAY - timedelta(days=1))
    wf.assign_expert(records, material, teachers["Фёдоров"], assigned_on=TODAY)
    w = _window(qtbot, records, material)
    assert w.overdue_rows() == [0]
    item = w.reviews.item(0, 1)
    assert item.background().color() == QColor(ALARM_BACKGROUND)
    assert "Срок экспертизы истёк" in item.toolTip()
    assert w.reviews.item(1, 1).background().style() == Qt.BrushStyle.NoBrush


def test_the_reviews_list_highlights_and_filters_overdue(qtbot, records, teachers, material):
    from app.ui.common.record_page import RecordPage
    from app.ui.shell.sections import section

    wf.submit(records, material)
    late = wf.assign_expert(records, material, teachers["Семёнов"], assigned_on=TODAY - timedelta(days=20),
                            due_on=TODAY - timedelta(days=1))
    wf.assign_expert(records, material, teachers["Фёдоров"], assigned_on=TODAY)
    tab = next(t for t in section("materials").tabs if t.entity == "reviews")
    page = RecordPage(records, tab)
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    row = page.model.row_of(late)
    assert page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) == QColor(ALARM_BACKGROUND)
    page.filter_panel.set_filter("deadline", "overdue")
    assert page.count() == 1 and page.model.record_id(0) == late


def test_the_conclusion_pdf_is_saved_from_the_window(qtbot, records, teachers, material, tmp_path, message_answers):
    wf.submit(records, material)
    rid = wf.assign_expert(records, material, teachers["Семёнов"])
    w = _window(qtbot, records, material)
    w.select_review(rid)
    assert not w.conclusion_button.isEnabled()
    assert _score(qtbot, records, rid, "5", "Рекомендую к распространению", "approved").save()
    w.reload()
    w.select_review(rid)
    assert w.conclusion_button.isEnabled()
    out = tmp_path / "заключение.pdf"
    w.save_conclusion(str(out))
    qtbot.waitUntil(lambda: bool(message_answers["saved"]), timeout=10000)
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "Экспертное заключение" in text and "Рекомендую к распространению" in text and "40" in text
