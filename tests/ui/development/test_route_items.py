"""The route editor (ИОМ): a route and its items made in the route's form and saved in one go."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.ui.common.record_dialog import RecordDialog
from app.ui.development.route_item_dialog import RouteItemDialog
from app.ui.development.route_items import RouteItemsModel
from app.ui.registry.teacher_card_dialog import TeacherCardDialog


@pytest.fixture
def programme(records):
    return records.create("programmes", {"title": "Функциональная грамотность школьников", "hours": 72, "credits": 2,
                                         "form": "distance"})["id"]


def _route_dialog(qtbot, records, teacher_id=None, record_id=None) -> RecordDialog:
    preset = {"teacher_id": teacher_id} if teacher_id and record_id is None else None
    dialog = RecordDialog(records, "trajectories", record_id, preset=preset)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill(dialog: RouteItemDialog, values: dict, programme: str | None = None) -> None:
    if programme is not None:
        dialog.editors["programme_id"].set_record(programme, "Функциональная грамотность школьников")
    for name, value in values.items():
        editor = dialog.editors[name]
        if hasattr(editor, "findData"):
            editor.setCurrentIndex(editor.findData(value))
        elif hasattr(editor, "line"):
            editor.line.setText(value)
        else:
            editor.setText(value)


def _add_through_dialog(qtbot, editor, values: dict, programme: str | None = None) -> int:
    """Presses «Добавить…», fills the sub-dialog that opens and presses «ОК»."""
    seen = {}

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RouteItemDialog)
        _fill(dialog, values, programme)
        seen["submitted"] = dialog.submit()
        if not seen["submitted"]:
            seen["errors"] = dialog.errors()
            dialog.reject()

    QTimer.singleShot(0, answer)
    row = editor.add_item()
    assert seen.get("submitted"), seen
    return row


def _items(records, route_id):
    ids = records.ids("trajectory_items", filters={"trajectory_id": route_id})
    return sorted((records.get("trajectory_items", i) for i in ids), key=lambda r: r["title"])


def test_a_route_with_three_items_is_saved_in_one_go(qtbot, records, teachers, programme):
    dialog = _route_dialog(qtbot, records, teachers["Иванов"])
    assert "Содержание маршрута" in dialog.sections
    assert dialog.editors["teacher_id"].value() == teachers["Иванов"]
    assert "Иванов" in dialog.editors["teacher_id"].text()
    dialog.editors["period_start"].line.setText("01.09.2025")
    dialog.editors["period_end"].line.setText("31.05.2026")
    editor = dialog.related
    _add_through_dialog(qtbot, editor, {"planned_start": "01.10.2025", "planned_end": "30.11.2025"}, programme)
    _add_through_dialog(qtbot, editor, {"kind": "event", "formality": "non_formal", "title": "Семинар РМО",
                                        "hours": "8", "status": "completed", "actual_end": "15.10.2025"})
    _add_through_dialog(qtbot, editor, {"kind": "self_education", "formality": "informal",
                                        "title": "Самообразование: чтение", "hours": "18", "credits": "1"})
    assert editor.model.rowCount() == 3
    assert editor.model.index(0, 2).data() == "Функциональная грамотность школьников"
    assert editor.model.index(0, 6).data() == "72"
    assert editor.model.index(0, 7).data() == "2"          # 72 ч / 36
    assert editor.model.index(1, 7).data() == "0,22"       # computed from 8 h
    assert dialog.save_button.isEnabled()

    assert dialog.save()
    route = records.get("trajectories", dialog.saved_id)
    assert route["teacher_id"] == teachers["Иванов"]
    assert route["period_start"] == date(2025, 9, 1)
    items = _items(records, dialog.saved_id)
    assert len(items) == 3
    self_edu, seminar, course = items
    assert course["programme_id"] == programme
    assert (course["kind"], course["formality"], course["status"]) == ("programme", "formal", "planned")
    assert (course["hours"], course["credits"]) == (72, 2)
    assert (course["planned_start"], course["planned_end"]) == (date(2025, 10, 1), date(2025, 11, 30))
    assert (seminar["kind"], seminar["formality"], seminar["status"]) == ("event", "non_formal", "completed")
    assert seminar["actual_end"] == date(2025, 10, 15)
    assert seminar["credits"] == pytest.approx(0.22)
    assert (self_edu["hours"], self_edu["credits"]) == (18, 1)
    # Only a formal programme counts for the three-year rule.
    assert records.get("teachers", teachers["Иванов"])["last_pd_on"] is None


def test_completing_a_formal_programme_updates_the_last_pd_date(qtbot, records, teachers, programme):
    dialog = _route_dialog(qtbot, records, teachers["Фёдоров"])
    dialog.editors["period_start"].line.setText("01.09.2025")
    dialog.editors["period_end"].line.setText("31.05.2026")
    _add_through_dialog(qtbot, dialog.related, {}, programme)
    assert dialog.save()
    route_id = dialog.saved_id

    dialog = _route_dialog(qtbot, records, record_id=route_id)
    assert dialog.related.model.rowCount() == 1
    seen = {}

    def answer():
        item = QApplication.activeModalWidget()
        _fill(item, {"status": "completed", "actual_start": "01.10.2025", "actual_end": "20.11.2025",
                     "document_number": "УД-123"})
        seen["ok"] = item.submit()

    QTimer.singleShot(0, answer)
    assert dialog.related.edit_row(0)
    assert seen["ok"]
    assert dialog.related.model.index(0, 8).data() == "Выполнено"
    assert dialog.save()
    assert records.get("teachers", teachers["Фёдоров"])["last_pd_on"] == date(2025, 11, 20)
    item = _items(records, route_id)[0]
    assert (item["status"], item["document_number"]) == ("completed", "УД-123")


def test_removing_an_item_sends_it_to_the_bin_on_save(qtbot, records, teachers):
    route = records.create("trajectories", {"teacher_id": teachers["Семёнов"], "period_start": "01.09.2025",
                                            "period_end": "31.05.2026"})["id"]
    for title in ("Курс А", "Курс Б"):
        records.create("trajectory_items", {"trajectory_id": route, "kind": "programme", "formality": "formal",
                                            "title": title, "hours": 36})
    dialog = _route_dialog(qtbot, records, record_id=route)
    assert dialog.related.model.rowCount() == 2
    model = dialog.related.model
    dialog.related.table.selectRow(next(r for r in range(2) if model.index(r, 2).data() == "Курс А"))
    dialog.related.remove_selected()
    assert dialog.is_dirty()
    assert dialog.save()
    assert [i["title"] for i in _items(records, route)] == ["Курс Б"]


def test_the_summary_line_compares_plan_and_fact(qtbot):
    model = RouteItemsModel(36)
    assert model.summary() == "В маршруте пока нет элементов."
    for hours, status in ((36, "completed"), (36, "completed"), (36, "planned"), (18, "in_progress"),
                          (18, "planned")):
        model.add({"kind": "programme", "formality": "formal", "title": "x", "hours": float(hours),
                   "status": status})
    assert model.summary() == "План: 5 элементов, 144 ч, 4 з.е.; выполнено: 2 элемента, 72 ч, 2 з.е."
    model.add({"kind": "event", "formality": "non_formal", "title": "y", "hours": 8.0, "status": "cancelled"})
    assert model.summary().endswith("Отменено: 1.")


def test_the_summary_label_in_the_form(qtbot, records, teachers):
    dialog = _route_dialog(qtbot, records, teachers["Иванов"])
    model = dialog.related.model
    model.add({"kind": "programme", "formality": "formal", "title": "Курс", "hours": 72.0, "credits": 2.0,
               "status": "completed"})
    model.add({"kind": "event", "formality": "non_formal", "title": "Вебинар", "hours": 36.0, "status": "planned"})
    assert dialog.related.summary_text() == "План: 2 элемента, 108 ч, 3 з.е.; выполнено: 1 элемент, 72 ч, 2 з.е."


def test_cancel_leaves_nothing(qtbot, records, teachers, programme, message_answers):
    dialog = _route_dialog(qtbot, records, teachers["Иванов"])
    dialog.editors["period_start"].line.setText("01.09.2025")
    dialog.editors["period_end"].line.setText("31.05.2026")
    _add_through_dialog(qtbot, dialog.related, {}, programme)
    dialog.reject()                   # the fixture answers «discard»
    assert message_answers["asked_discard"] == 1
    assert records.count("trajectories") == 0
    assert records.count("trajectory_items") == 0


def test_a_cancelled_item_dialog_adds_nothing(qtbot, records, teachers):
    dialog = _route_dialog(qtbot, records, teachers["Иванов"])
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert dialog.related.add_item() == -1
    assert dialog.related.model.rowCount() == 0


def test_an_item_without_a_title_is_refused(qtbot, records):
    item = RouteItemDialog(records)
    qtbot.addWidget(item)
    assert not item.submit()
    assert "title" in item.errors()
    assert not item.error_labels["title"].isHidden()


def test_choosing_a_programme_fills_title_hours_and_credits(qtbot, records, programme):
    item = RouteItemDialog(records)
    qtbot.addWidget(item)
    item.editors["programme_id"].set_record(programme, "Функциональная грамотность")
    item.editors["programme_id"].changed.emit()
    assert item.editors["title"].value() == "Функциональная грамотность школьников"
    assert item.editors["hours"].value() == "72"
    assert item.editors["credits"].value() == "2"
    item.editors["credits"].setText("")
    assert "2 з.е." in item.credits_hint.text()


def test_the_items_model_passes_the_model_tester(qtmodeltester):
    model = RouteItemsModel(36)
    qtmodeltester.check(model)
    model.add({"kind": "programme", "formality": "formal", "title": "Курс", "hours": 72.0, "status": "planned",
               "planned_start": date(2025, 10, 1), "planned_end": date(2025, 11, 30)})
    model.add({"kind": "event", "formality": "non_formal", "title": "Семинар", "hours": 8.0, "status": "completed"})
    qtmodeltester.check(model)
    assert model.index(0, 4).data() == "01.10 – 30.11.2025"
    model.remove(0)
    assert model.index(0, 2).data() == "Семинар"
    qtmodeltester.check(model)


def test_the_teacher_card_opens_the_route_form(qtbot, records, teachers, monkeypatch):
    calls = []

    def ask(cls, parent, service, entity, record_id=None, preset=None):
        calls.append((entity, record_id, preset))
        if record_id is None:
            return service.create("trajectories", {**preset, "period_start": "01.09.2025",
                                                   "period_end": "31.05.2026"})["id"]
        return record_id

    monkeypatch.setattr(RecordDialog, "ask", classmethod(ask))
    card = TeacherCardDialog(records, teachers["Иванов"])
    qtbot.addWidget(card)
    assert not card.edit_route_button.isEnabled()
    new_id = card.new_route()
    assert calls[0] == ("trajectories", None, {"teacher_id": teachers["Иванов"]})
    assert card.changed and card.trajectories.rowCount() == 1
    assert card.edit_route_button.isEnabled()
    assert card.selected_route_id() == new_id
    assert card.edit_route() == new_id
    assert calls[1] == ("trajectories", new_id, None)
