"""The event card driven like a user: adding participants, the attendance sheet, organisers, files."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from app.services.events import events as ev
from app.services.common.actor import Actor
from app.ui.events.card import EventCardDialog
from app.ui.events.teacher_picker import TeacherListPicker
from tests.services.events.conftest import event_values, net  # noqa: F401 - the fixture

ACTOR = Actor("tester")


@pytest.fixture
def card(qtbot, db, records, net):  # noqa: F811
    event_id = ev.create_event(db, ACTOR, event_values(hours=3), [net.centre["id"]])
    dialog = EventCardDialog(records, event_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _pick(qtbot, editor, text: str) -> None:
    with qtbot.waitSignal(editor.searched, timeout=2000):
        editor.line.insert(text)
    editor.choose(0)


def _route_items(records, teacher_id):
    routes = {r["id"] for r in records.list("trajectories").rows if r["teacher_id"] == teacher_id}
    return [i for i in records.list("trajectory_items").rows if i["trajectory_id"] in routes]


def test_bulk_adding_and_the_sheet_saves_attendance_into_routes(qtbot, card, records, net):  # noqa: F811
    assert "Организаторы: ИМЦ" in card.summary_label.text()
    assert card.message_label.isHidden()              # no empty message strip under a card just opened
    _pick(qtbot, card.community_ref, "РМО учителей")
    card.add_buttons[2].click()
    assert card.attendance.names() == ["Ёлкин Пётр", "Смирнова Ольга"]
    assert "Добавлено участников: 2" in card.message_label.text() and card.message_label.property("tone") == "done"
    _pick(qtbot, card.organization_ref, "Школа № 5")
    card.add_buttons[1].click()
    assert card.attendance.names() == ["Андреева Анна", "Ёлкин Пётр", "Смирнова Ольга"]
    assert "уже были в списке: 2" in card.message_label.text()

    sheet = card.attendance
    assert not sheet.save_button.isEnabled()
    sheet.set_attendance(0, "present")
    assert sheet.hours_spin(0).value() == 3.0           # the event's hours, credited on «присутствовал»
    sheet.set_attendance(1, "excused")
    sheet.role_combo(2).setCurrentIndex(sheet.role_combo(2).findData("speaker"))
    sheet.hours_spin(2).setValue(1.5)
    assert "Несохранённых изменений: 3" in sheet.status_label.text()
    sheet.save_button.click()
    assert "Сохранено отметок: 3" in sheet.status_label.text()

    by_name = {r.name: r for r in sheet.rows}
    assert by_name["Андреева Анна"].attendance == "present" and by_name["Андреева Анна"].hours == 3.0
    assert by_name["Ёлкин Пётр"].attendance_label == "Уважительная причина"
    assert by_name["Смирнова Ольга"].role == "speaker"
    anna = next(t for t in net.teachers if t["last_name"] == "Андреева")
    items = _route_items(records, anna["id"])
    assert [(i["kind"], i["status"], i["hours"]) for i in items] == [("event", "completed", 3.0)]

    sheet.mark_unknown_present()
    sheet.save()
    assert {r.attendance for r in sheet.rows} == {"present", "excused"}
    assert len(_route_items(records, net.teachers[0]["id"])) == 1       # Смирнова, 1.5 h

    sheet.table.selectRow(0)
    assert sheet.remove_selected() == 1
    assert sheet.names() == ["Ёлкин Пётр", "Смирнова Ольга"] and _route_items(records, anna["id"]) == []


def test_a_single_teacher_and_an_organisation_as_participant(qtbot, card, records, net):  # noqa: F811
    card.role_combo.setCurrentIndex(card.role_combo.findData("jury"))
    _pick(qtbot, card.teacher_ref, "Зайцев")
    card.add_buttons[0].click()
    _pick(qtbot, card.org_as_participant_ref, "Школа")
    card.add_buttons[3].click()
    rows = card.attendance.rows
    assert [(r.name, r.role_label) for r in rows] == [("Зайцев Игорь", "Член жюри"), ("Школа № 5", "Член жюри")]
    card.add_buttons[0].click()
    assert "Выберите педагога" in card.message_label.text() and card.message_label.property("tone") == "refused"


def test_adding_from_the_filtered_teacher_list(qtbot, records, net, card, monkeypatch):  # noqa: F811
    picker = TeacherListPicker(records)
    qtbot.addWidget(picker)
    assert picker.recount() == 4
    picker.search_field.setText("школа")                     # the organisation's name finds its teachers
    assert picker.recount() == 3 and "Найдено педагогов: 3" in picker.count_label.text()
    picker.filter_panel.set_filter("organization_id", net.centre["id"])
    assert picker.recount() == 0 and not picker.add_button.isEnabled()
    picker.search_field.clear()
    assert picker.recount() == 1 and picker.ids == [net.other["id"]]

    monkeypatch.setattr(TeacherListPicker, "ask", classmethod(lambda cls, parent, service: [net.other["id"]]))
    card.list_button.click()
    assert card.attendance.names() == ["Зайцев Игорь"]


def test_organisers_are_added_and_removed(qtbot, card, db, net):  # noqa: F811
    assert card.organizer_names() == ["ИМЦ"]
    _pick(qtbot, card.organizer_ref, "Школа № 5")
    assert card.add_organizer()
    assert card.organizer_names() == ["ИМЦ", "Школа № 5"]
    assert ev.organizer_ids(db, card.event_id) == [net.centre["id"], net.school["id"]]
    _pick(qtbot, card.organizer_ref, "ИМЦ")
    assert not card.add_organizer() and "уже среди организаторов" in card.message_label.text()
    card.organizers_list.setCurrentRow(0)
    assert card.remove_organizer()
    assert card.organizer_names() == ["Школа № 5"] and "Организаторы: Школа № 5" in card.summary_label.text()


def test_minutes_are_attached_opened_with_the_system_viewer_and_detached(qtbot, card, records, tmp_path, monkeypatch):
    minutes = tmp_path / "Протокол № 1.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes of the meeting")
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    files = card.files
    assert files.attach(str(minutes), "minutes")
    assert files.file_names() == ["Протокол № 1.pdf"]
    assert files.table.item(0, 1).text() == "Протокол"
    path = files.open_selected()
    assert path.name == "Протокол № 1.pdf" and path.read_bytes() == minutes.read_bytes()
    assert opened and opened[0].toLocalFile() == str(path)
    assert not files.attach(str(tmp_path / "нет.pdf")) and "не найден" in files.message_label.text()
    assert files.remove_selected()
    assert files.file_names() == [] and records.count("event_files", deleted=True) == 1


def test_the_series_tab_lists_the_meetings(qtbot, db, records, net):  # noqa: F811
    ids = ev.create_series(db, ACTOR, event_values(title="Заседание РМО", kind="rmo_meeting",
                                                   community_id=net.community["id"]),
                           date(2025, 9, 10), 3, "month")
    dialog = EventCardDialog(records, ids[1])
    qtbot.addWidget(dialog)
    texts = [dialog.series_list.item(i).text() for i in range(dialog.series_list.count())]
    assert len(texts) == 3 and texts[1].startswith("▶ 10.10.2025")
    assert "Встреч в серии: 3" in dialog.series_hint.text()
    assert dialog.community_ref.value() == net.community["id"]          # its members are one click away
    assert dialog.attendance.names() == ["Ёлкин Пётр", "Смирнова Ольга"]


def _when_modal(action):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def run():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, run)
            return
        try:
            action(dialog)
        finally:
            if dialog.isVisible():          # a failed step must not leave the test waiting on a modal dialog
                dialog.reject()
    QTimer.singleShot(0, run)


def test_editing_the_event_updates_the_card_and_the_attendees_routes(qtbot, card, records, net):  # noqa: F811
    pid = card._add(teacher_ids=[net.teachers[0]["id"]]).ids[0]
    card.attendance.set_attendance(0, "present")
    assert card.attendance.save()

    def answer(form):
        form.editors["title"].clear()
        form.editors["title"].insert("Семинар-практикум «Чтение»")
        form.save_button.click()

    _when_modal(answer)
    assert card.edit_fields()
    assert "Семинар-практикум «Чтение»" in card.summary_label.text()
    item = _route_items(records, net.teachers[0]["id"])[0]
    assert item["title"] == "Семинар: Семинар-практикум «Чтение»"
    assert records.get("participations", pid)["attendance"] == "present"


def test_a_participation_opens_its_events_card(qtbot, card, records, net, monkeypatch):  # noqa: F811
    from app.ui.common.record_dialog import open_record

    pid = card._add(teacher_ids=[net.teachers[0]["id"]]).ids[0]
    seen = []
    _when_modal(lambda dialog: (seen.append((type(dialog).__name__, dialog.event_id)), dialog.reject()))
    open_record(None, records, "participations", pid)
    assert seen == [("EventCardDialog", card.event_id)]
