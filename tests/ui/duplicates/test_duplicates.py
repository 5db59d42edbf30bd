"""Import from a list page, probable duplicates in the teacher form, merging and undoing a merge."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton

from app.services.common.actor import Actor
from app.services.importing.spreadsheet_import import ImportResult
from app.ui.duplicates.duplicates_dialog import DuplicateMembersModel, DuplicatesDialog
from app.ui.duplicates.merge_dialog import MergeDialog, MergeFieldsModel
from app.ui.duplicates.merge_log_dialog import MergeLogDialog, MergeLogModel
from app.ui.importing.dialog import ImportDialog
from app.ui.common.record_page import RecordPage
from app.ui.common.record_dialog import DUPLICATE_CHECK_DELAY_MS, RecordDialog
from app.ui.shell.sections import section_of_entity
from app.ui.importing.list_action import ImportAction
from app.ui.duplicates.list_action import DuplicatesAction

ACTOR = Actor("tester")


def _page(qtbot, records, entity) -> RecordPage:
    tab = next(t for t in section_of_entity(entity).tabs if t.entity == entity)
    page = RecordPage(records, tab)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.ensure_loaded()
    return page


@pytest.fixture
def school(records):
    return records.create("organizations", {"full_name": "Муниципальное бюджетное общеобразовательное "
                                                         "учреждение «Средняя школа № 7»",
                                            "short_name": "МБОУ СШ № 7", "kind": "school"})


@pytest.fixture
def twins(records, school):
    """Two records of one person (same ФИО and birth date); B took part in a seminar and has another phone."""
    a = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                    "birth_date": "12.03.1985", "organization_id": school["id"],
                                    "phone": "+7 900 111-22-33", "position": "учитель математики"})
    b = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                    "birth_date": "12.03.1985", "organization_id": school["id"],
                                    "phone": "+7 900 444-55-66"})
    event = records.create("events", {"title": "Семинар «Формирующее оценивание»", "kind": "seminar",
                                      "format": "in_person", "starts_on": "12.02.2025"})
    part = records.create("participations", {"event_id": event["id"], "teacher_id": b["id"], "role": "speaker"})
    return {"a": a, "b": b, "participation": part}


# -- «Импорт…» ----------------------------------------------------------------

@pytest.mark.parametrize("entity", ["teachers", "organizations"])
def test_import_button_reloads_the_list_after_a_committed_import(qtbot, records, monkeypatch, entity):
    page = _page(qtbot, records, entity)
    button = page.findChild(QPushButton, "importButton")
    assert button is not None and button.text() == "Импорт…"
    calls = []

    def run(cls, parent, db, kind, **kw):
        calls.append((parent, db, kind))
        # What an import would have written.
        values = ({"last_name": "Новикова", "first_name": "Ольга"} if kind == "teachers"
                  else {"full_name": "Детский сад № 1", "short_name": "ДС № 1", "kind": "kindergarten"})
        records.create(kind, values)
        return ImportResult(kind, "/tmp/x.xlsx", "Лист1", created=1, committed=True)

    monkeypatch.setattr(ImportDialog, "run", classmethod(run))
    before = page.count()
    page.findChild(QPushButton, "importButton").click()
    assert calls == [(page, records.db, entity)]
    assert page.count() == before + 1


def test_a_cancelled_or_rolled_back_import_leaves_the_list_alone(qtbot, records, monkeypatch, teachers):
    page = _page(qtbot, records, "teachers")
    results = iter([None, ImportResult("teachers", "/tmp/x.xlsx", "Лист1", committed=False)])
    monkeypatch.setattr(ImportDialog, "run", classmethod(lambda cls, *a, **kw: next(results)))
    reloads = []
    page.model.modelReset.connect(lambda: reloads.append(1))
    assert page.findChild(ImportAction).run() is False
    assert page.findChild(ImportAction).run() is False
    assert reloads == [] and page.count() == 3


def test_only_teachers_and_organisations_have_import_and_only_teachers_duplicates(qtbot, records):
    assert _page(qtbot, records, "events").findChild(QPushButton, "importButton") is None
    assert _page(qtbot, records, "organizations").findChild(QPushButton, "duplicatesButton") is None
    assert _page(qtbot, records, "teachers").findChild(QPushButton, "duplicatesButton") is not None


# -- the form's notice ----------------------------------------------------------

def _form(qtbot, records, record_id=None) -> RecordDialog:
    dialog = RecordDialog(records, "teachers", record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_typing_an_existing_teacher_shows_a_duplicate_notice_and_saving_stays_allowed(qtbot, records, school):
    records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                "birth_date": "12.03.1985", "organization_id": school["id"]})
    dialog = _form(qtbot, records)
    assert dialog.duplicate_text() == ""
    e = dialog.editors
    e["last_name"].insert("иванова")
    e["first_name"].insert("анна")
    e["middle_name"].insert("петровна")
    e["birth_date"].line.insert("12.03.1985")
    assert dialog.duplicate_text() == ""            # not before the pause
    qtbot.waitUntil(lambda: dialog.duplicate_text() != "", timeout=DUPLICATE_CHECK_DELAY_MS * 5)
    assert dialog.duplicate_text() == ("Возможный дубликат: Иванова Анна Петровна, 12.03.1985, МБОУ СШ № 7 — "
                                       "совпадают ФИО и дата рождения — открыть карточку")
    assert "record:teachers:" in dialog.duplicate_notice.text()
    assert dialog.save_button.isEnabled() and dialog.errors() == {}
    dialog.save_button.click()
    assert records.count("teachers") == 2


def test_a_different_name_shows_no_notice_and_the_notice_goes_when_the_name_changes(qtbot, records, school):
    records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                "birth_date": "12.03.1985", "organization_id": school["id"]})
    dialog = _form(qtbot, records)
    e = dialog.editors
    e["last_name"].insert("Смирнова")
    e["first_name"].insert("Ольга")
    e["birth_date"].line.insert("12.03.1985")
    assert dialog.check_duplicates() == [] and dialog.duplicate_text() == ""
    e["last_name"].clear()
    e["last_name"].insert("Иванова")
    e["first_name"].clear()
    e["first_name"].insert("Анна")
    e["middle_name"].insert("Петровна")
    assert len(dialog.check_duplicates()) == 1 and dialog.duplicate_text()
    e["first_name"].clear()
    e["first_name"].insert("Ольга")
    qtbot.waitUntil(lambda: dialog.duplicate_text() == "", timeout=DUPLICATE_CHECK_DELAY_MS * 5)


def test_an_edit_form_never_names_its_own_record_but_names_its_twin(qtbot, records, twins):
    dialog = _form(qtbot, records, twins["a"]["id"])
    found = dialog.check_duplicates()
    assert [c.teacher_id for c in found] == [twins["b"]["id"]]
    assert dialog.duplicate_text().startswith("Возможный дубликат: Иванова Анна Петровна, 12.03.1985")


def test_other_forms_have_no_duplicate_notice(qtbot, records):
    dialog = RecordDialog(records, "events")
    qtbot.addWidget(dialog)
    assert dialog.duplicate_notice is None and dialog.check_duplicates() == []


# -- duplicates, merge, log, undo ---------------------------------------------

@pytest.fixture
def merge_driver(monkeypatch, qtbot):
    """MergeDialog.ask replaced by the real dialog, driven by ``driver.drive(dialog)``."""
    class Driver:
        dialogs: list[MergeDialog] = []

        def drive(self, dialog):
            dialog.merge_button.click()

        def ask(self, parent, db, actor, a_id, b_id):
            dialog = MergeDialog(db, actor, a_id, b_id, parent)
            qtbot.addWidget(dialog)
            dialog.show()
            self.dialogs.append(dialog)
            self.drive(dialog)
            return (dialog.result, dialog.report) if dialog.result is not None else None

    driver = Driver()
    monkeypatch.setattr(MergeDialog, "ask", classmethod(lambda cls, *a, **kw: driver.ask(*a, **kw)))
    return driver


def _texts(model) -> list[list[str]]:
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_duplicates_dialog_lists_the_group(qtbot, records, twins, qtmodeltester):
    page = _page(qtbot, records, "teachers")
    dialog = page.findChild(DuplicatesAction).open()
    qtbot.addWidget(dialog)
    assert dialog.group_count() == 1
    rows = _texts(dialog.model)
    assert [r[1:5] for r in rows] == [["Иванова Анна Петровна", "12.03.1985", "", "МБОУ СШ № 7"]] * 2
    assert rows[0][0] == "1" and rows[0][5].startswith("совпадают ФИО и дата рождения")
    assert [dialog.model.teacher_id(r) for r in range(2)] == [twins["a"]["id"], twins["b"]["id"]]
    assert not dialog.merge_button.isEnabled()
    dialog.select_ids([twins["a"]["id"], twins["b"]["id"]])
    assert dialog.merge_button.isEnabled()
    qtmodeltester.check(dialog.model)


def test_merge_choosing_b_phone_keeps_one_teacher_and_moves_the_participation(
        qtbot, records, twins, merge_driver, qtmodeltester):
    page = _page(qtbot, records, "teachers")
    assert page.count() == 2
    a_id, b_id = twins["a"]["id"], twins["b"]["id"]

    def drive(dialog: MergeDialog):
        model = dialog.model
        qtmodeltester.check(model)
        phone = model.row_of("phone")
        assert model.index(phone, MergeFieldsModel.COL_A).data() == twins["a"]["phone"] != ""
        assert model.index(phone, MergeFieldsModel.COL_B).data() == twins["b"]["phone"]
        assert dialog.choice_of("phone") == "A" and dialog.choice_of("position") == "A"
        # Equal values are grey and cannot be chosen.
        last = model.row_of("last_name")
        assert not model.differs(last) and not dialog.radio("last_name", "B").isEnabled()
        assert model.index(last, 1).data(MergeFieldsModel.ChoiceRole) == "A"
        assert "Участие в мероприятиях: 1" in dialog.moves_label.text()
        dialog.radio("phone", "B").click()
        assert dialog.choice_of("phone") == "B"
        assert dialog.service_choices()["phone"] == "other"
        dialog.merge_button.click()

    merge_driver.drive = drive
    dialog = page.findChild(DuplicatesAction).open()
    qtbot.addWidget(dialog)
    dialog.select_ids([a_id, b_id])
    result = dialog.merge_selected()

    assert result is not None and result.moved == {"participation": 1}
    assert records.count("teachers") == 1
    kept = records.get("teachers", a_id)
    assert kept["phone"] == twins["b"]["phone"] and kept["position"] == "учитель математики"
    assert records.get("participations", twins["participation"]["id"])["teacher_id"] == a_id
    assert dialog.group_count() == 0
    assert "Перенесено: Участие в мероприятиях: 1" in dialog.status_label.text()
    assert page.count() == 1                    # the list re-read itself

    log = dialog.open_log()
    qtbot.addWidget(log)
    qtmodeltester.check(log.model)
    [entry] = log.entries()
    assert (entry.keep_id, entry.other_id, entry.actor, entry.undone) == (a_id, b_id, "tester", False)
    row = _texts(log.model)[0]
    assert row[2:6] == ["tester", "Иванова Анна Петровна", "Иванова Анна Петровна",
                         "Участие в мероприятиях: 1"]
    assert log.undo_button.isEnabled()


def test_swapping_the_survivor_keeps_record_b(qtbot, db, records, twins):
    a_id, b_id = twins["a"]["id"], twins["b"]["id"]
    dialog = MergeDialog(db, ACTOR, a_id, b_id)
    qtbot.addWidget(dialog)
    dialog.keep_b.click()
    assert dialog.survivor == "B" and dialog.keep_other() == (b_id, a_id)
    # Columns stay A and B; the defaults now favour B, and B's empty position takes A's.
    assert dialog.choice_of("phone") == "B" and dialog.choice_of("position") == "A"
    assert dialog.model.index(dialog.model.row_of("phone"), MergeFieldsModel.COL_A).data() == twins["a"]["phone"]
    result = dialog.merge()
    assert result is not None and result.moved == {}
    kept = records.get("teachers", b_id)
    assert kept["phone"] == twins["b"]["phone"] and kept["position"] == "учитель математики"
    assert records.count("teachers") == 1


def test_undo_from_the_log_brings_both_teachers_back(qtbot, db, records, twins, message_answers):
    a_id, b_id = twins["a"]["id"], twins["b"]["id"]
    merge = MergeDialog(db, ACTOR, a_id, b_id)
    qtbot.addWidget(merge)
    merge.choose("phone", "B")
    merge.merge()
    assert records.count("teachers") == 1

    log = MergeLogDialog.show_log(None, db, ACTOR)
    qtbot.addWidget(log)
    undone = []
    log.undone.connect(undone.append)
    assert log.undo_selected() is False                 # the question declined
    assert message_answers["asked_undo_merge"] == [
        "Отменить объединение записей «Иванова Анна Петровна» и «Иванова Анна Петровна»?"]
    assert records.count("teachers") == 1

    message_answers["undo_merge"] = True
    assert log.undo_selected() is True
    assert records.count("teachers") == 2
    assert records.get("teachers", a_id)["phone"] == twins["a"]["phone"]
    assert records.get("teachers", b_id)["phone"] == twins["b"]["phone"]
    assert records.get("participations", twins["participation"]["id"])["teacher_id"] == b_id
    assert undone == [merge.result.merge_id]
    assert log.entries()[0].undone and not log.undo_button.isEnabled()
    assert _texts(log.model)[0][6].startswith("отменено")

    # A second undo is refused by the service; its message is shown.
    log.undo_button.setEnabled(True)
    assert log.undo_selected() is False
    assert message_answers["errors"] and "уже отменено" in message_answers["errors"][-1]


def test_undo_through_the_duplicates_dialog_refreshes_it(qtbot, db, records, twins, message_answers):
    merge = MergeDialog(db, ACTOR, twins["a"]["id"], twins["b"]["id"])
    qtbot.addWidget(merge)
    merge.merge()
    dialog = DuplicatesDialog.show_dialog(None, db, ACTOR)
    qtbot.addWidget(dialog)
    changed = []
    dialog.changed.connect(lambda: changed.append(1))
    assert dialog.group_count() == 0
    message_answers["undo_merge"] = True
    assert dialog.open_log().undo_selected()
    assert dialog.group_count() == 1 and changed == [1]


def test_a_refused_merge_shows_the_service_message_in_the_dialog(qtbot, db, records, twins):
    dialog = MergeDialog(db, ACTOR, twins["a"]["id"], twins["b"]["id"])
    qtbot.addWidget(dialog)
    records.delete("teachers", twins["a"]["id"])
    assert dialog.merge() is None
    assert dialog.result is None and not dialog.error_label.isHidden()
    assert "Не найдена запись" in dialog.error_label.text()


def test_merge_dialog_ask_reports_a_service_error_instead_of_opening(qtbot, db, records, twins, message_answers):
    assert MergeDialog.ask(None, db, ACTOR, twins["a"]["id"], twins["a"]["id"]) is None
    assert "самой собой" in message_answers["errors"][-1]


def test_the_new_models_pass_the_qt_model_tester_empty(qtmodeltester):
    for model in (DuplicateMembersModel(), MergeFieldsModel(), MergeLogModel()):
        qtmodeltester.check(model)


def test_double_click_opens_the_card_and_a_change_there_refreshes_the_list(qtbot, db, records, twins, monkeypatch):
    from app.ui.duplicates import duplicates_dialog

    opened = []

    def open_record(parent, service, entity, record_id):
        opened.append((entity, record_id))
        service.update("teachers", record_id, {"birth_date": "13.03.1985"})
        return True

    monkeypatch.setattr(duplicates_dialog, "open_record", open_record)
    dialog = DuplicatesDialog.show_dialog(None, db, ACTOR)
    qtbot.addWidget(dialog)
    assert dialog.group_count() == 1
    assert dialog.open_card(1) is True
    assert opened == [("teachers", twins["b"]["id"])]
    assert dialog.group_count() == 0            # different birth dates: namesakes, no longer a pair


def test_log_times_are_shown_in_local_time():
    from datetime import datetime, timezone

    from app.ui.duplicates.merge_log_dialog import local_time

    at = datetime(2025, 3, 1, 9, 30)
    assert local_time(at) == at.replace(tzinfo=timezone.utc).astimezone().strftime("%d.%m.%Y %H:%M")
    assert local_time(None) == ""
