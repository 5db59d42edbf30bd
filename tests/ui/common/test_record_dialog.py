"""The record form: typed values checked as the user types, saved through the service, changes guarded."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from app.services.registry.specs import SPECS
from app.ui.common import messages
from app.ui.common.field_editors import DateEditor, EnumEditor, LongTextEditor, RefEditor
from app.ui.common.form_messages import error_html
from app.ui.common.record_dialog import RecordDialog
from app.ui.common import extension_points

VALID_SNILS = "112-233-445 95"


def _dialog(qtbot, records, entity, record_id=None) -> RecordDialog:
    dialog = RecordDialog(records, entity, record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def school(records):
    return records.create("organizations", {"full_name": "Муниципальное бюджетное общеобразовательное "
                                                         "учреждение «Средняя школа № 7»",
                                            "short_name": "МБОУ СШ № 7", "kind": "school"})


@pytest.fixture
def discard_answers(message_answers):
    """What the «Сохранить изменения?» question answers (default here: stay in the form)."""
    message_answers["discard"] = messages.CANCEL
    return message_answers


def test_required_fields_are_marked_and_the_form_starts_unsaveable(qtbot, records):
    dialog = _dialog(qtbot, records, "teachers")
    assert dialog.windowTitle() == "Новая запись: педагог"
    assert "*" in dialog.field_labels["last_name"].text() and "*" in dialog.field_labels["first_name"].text()
    assert "*" not in dialog.field_labels["snils"].text()
    assert not dialog.save_button.isEnabled()
    # Nothing is red before the user has typed anything; the hint names what is missing.
    assert all(dialog.error_text(name) == "" for name in dialog.editors)
    assert dialog.status_label.text() == "Заполните обязательные поля: Фамилия, Имя."


def test_long_forms_are_grouped_into_sections(qtbot, records):
    dialog = _dialog(qtbot, records, "teachers")
    assert list(dialog.sections) == ["Личные данные", "Работа", "Согласие на обработку ПДн", "Примечание"]
    consent = dialog.sections["Согласие на обработку ПДн"]
    assert dialog.editors["consent_on"].parent().parent() is consent
    assert isinstance(dialog.editors["consent_on"], DateEditor)
    assert isinstance(dialog.editors["organization_id"], RefEditor)
    assert isinstance(dialog.editors["qualification_category"], EnumEditor)
    assert isinstance(dialog.editors["notes"], LongTextEditor)
    requests = _dialog(qtbot, records, "requests")
    assert list(requests.sections) == ["Запрос", "Исполнитель и контакт для ответа", "Срок и ответ"]


@pytest.mark.parametrize("entity", sorted(SPECS))
def test_every_entity_has_a_form_with_an_editor_per_field(qtbot, records, entity):
    dialog = RecordDialog(records, entity)
    qtbot.addWidget(dialog)
    assert sorted(dialog.editors) == sorted(f.name for f in SPECS[entity].fields)
    assert [f.name for f in SPECS[entity].fields if "*" in dialog.field_labels[f.name].text()] == [
        f.name for f in SPECS[entity].fields if f.required]


def test_invalid_snils_shows_the_message_and_blocks_saving_until_fixed(qtbot, records):
    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["last_name"].setText("Петрова")
    dialog.editors["first_name"].setText("Анна")
    assert dialog.save_button.isEnabled()

    dialog.editors["snils"].insert("112-233-445 96")
    assert dialog.error_text("snils") == "СНИЛС 112-233-445 96: неверная контрольная сумма (ожидается 95)"
    assert dialog.error_labels["snils"].isVisible()
    assert not dialog.save_button.isEnabled()
    assert dialog.status_label.text() == "Исправьте поля, отмеченные красным."

    dialog.editors["snils"].setText(VALID_SNILS)
    assert dialog.error_text("snils") == ""
    assert not dialog.error_labels["snils"].isVisible()
    assert dialog.save_button.isEnabled()


def test_saving_a_new_teacher_stores_what_was_typed(qtbot, records, school):
    dialog = _dialog(qtbot, records, "teachers")
    e = dialog.editors
    e["last_name"].insert("семёнова")
    e["first_name"].insert("мария")
    e["birth_date"].line.insert("05.04.1990")
    e["snils"].insert("11223344595")
    e["qualification_category"].setCurrentIndex(e["qualification_category"].findData("first"))
    e["consent_on"].line.insert("01.09.2025")
    e["notes"].insertPlainText("Руководитель РМО")
    lookup = e["organization_id"]
    with qtbot.waitSignal(lookup.searched, timeout=2000):
        lookup.line.insert("СШ № 7")
    assert lookup.match_labels() == ["МБОУ СШ № 7"]
    lookup.choose(0)
    assert lookup.value() == school["id"] and lookup.text() == "МБОУ СШ № 7"

    dialog.save_button.click()
    assert dialog.result() == RecordDialog.DialogCode.Accepted
    saved = records.get("teachers", dialog.saved_id)
    assert (saved["last_name"], saved["first_name"], saved["snils"]) == ("Семёнова", "Мария", VALID_SNILS)
    assert saved["birth_date"] == date(1990, 4, 5) and saved["consent_on"] == date(2025, 9, 1)
    assert saved["qualification_category"] == "first"
    assert saved["organization_id"] == school["id"]
    assert saved["notes"] == "Руководитель РМО"


def test_editing_changes_only_what_was_changed(qtbot, records, school):
    teacher = records.create("teachers", {"last_name": "Орлов", "first_name": "Павел", "snils": VALID_SNILS,
                                          "organization_id": school["id"], "qualification_category": "highest",
                                          "birth_date": "01.02.1980"})
    dialog = _dialog(qtbot, records, "teachers", teacher["id"])
    e = dialog.editors
    assert dialog.windowTitle() == "Педагог: Орлов Павел"
    assert e["snils"].text() == VALID_SNILS and e["birth_date"].value() == "01.02.1980"
    assert e["organization_id"].text() == "МБОУ СШ № 7"
    assert e["qualification_category"].currentText() == "Высшая"
    # A stored choice can be changed but not emptied.
    assert e["qualification_category"].findData("") == -1
    assert not dialog.save_button.isEnabled() and dialog.status_label.text() == "Изменений нет."

    e["position"].insert("учитель истории")
    assert dialog.changes() == {"position": "учитель истории"}
    dialog.save_button.click()
    saved = records.get("teachers", teacher["id"])
    assert saved["position"] == "учитель истории"
    assert (saved["last_name"], saved["snils"], saved["organization_id"]) == ("Орлов", VALID_SNILS, school["id"])


def test_duplicate_snils_is_refused_with_a_link_to_the_other_card(qtbot, records, monkeypatch):
    other = records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                        "snils": VALID_SNILS})
    opened = []
    monkeypatch.setitem(extension_points.CARDS, "teachers",
                        lambda parent, service, teacher_id: opened.append(teacher_id) or False)
    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["last_name"].setText("Иванова")
    dialog.editors["first_name"].setText("Анна")
    dialog.editors["snils"].setText("112 233 445 95")
    assert dialog.save_button.isEnabled()          # a per-field check cannot know about the other teacher

    dialog.save_button.click()
    assert dialog.isVisible() and dialog.saved_id is None
    label = dialog.error_labels["snils"]
    assert label.isVisible()
    assert "педагог с этим СНИЛС уже есть: Иванова А. П." in label.text()
    assert f'href="record:teachers:{other["id"]}"' in label.text() and "открыть&nbsp;карточку" in label.text()
    assert not dialog.save_button.isEnabled()
    assert records.count("teachers") == 1

    label.linkActivated.emit(f"record:teachers:{other['id']}")
    assert opened == [other["id"]]

    dialog.editors["snils"].setText("")           # the refusal was about the old value
    assert dialog.error_text("snils") == "" and dialog.save_button.isEnabled()


def test_error_html_turns_the_id_into_a_link_and_escapes_the_rest():
    text = error_html("уже есть: <Иванов> (id 6f1c-22)", "teachers")
    assert text == 'уже есть: &lt;Иванов&gt; — <a href="record:teachers:6f1c-22">открыть&nbsp;карточку</a>'


def test_a_rule_across_fields_comes_back_under_its_field_and_clears_on_any_change(qtbot, records):
    dialog = _dialog(qtbot, records, "agreements")
    e = dialog.editors
    e["number"].setText("7/2026-С")
    e["kind"].setCurrentIndex(e["kind"].findData("agreement"))
    e["subject"].setPlainText("Сетевая форма реализации программ")
    e["status"].setCurrentIndex(e["status"].findData("active"))
    e["valid_from"].line.setText("01.09.2026")
    e["valid_to"].line.setText("31.08.2026")
    dialog.save_button.click()
    assert dialog.error_text("valid_to") == "не может быть раньше, чем «Действует с»"
    assert not dialog.save_button.isEnabled()
    e["valid_from"].line.setText("01.09.2025")
    assert dialog.error_text("valid_to") == "" and dialog.save_button.isEnabled()
    dialog.save_button.click()
    assert records.count("agreements") == 1


def test_dates_are_typed_or_picked_and_may_stay_empty(qtbot, records):
    dialog = _dialog(qtbot, records, "teachers")
    birth = dialog.editors["birth_date"]
    birth.line.insert("31.02.1990")
    assert "в феврале 1990 года 28 дней" in dialog.error_text("birth_date")
    birth.line.clear()
    assert dialog.error_text("birth_date") == ""
    birth.line.insert("08.03.1991")
    birth.calendar_button.click()                  # the calendar opens on the typed date
    assert birth.calendar.selectedDate() == QDate(1991, 3, 8) and birth.calendar.isVisible()
    birth.calendar.clicked.emit(QDate(1991, 3, 18))
    assert birth.value() == "18.03.1991" and not birth.calendar.isVisible()
    assert dialog.error_text("birth_date") == ""


def test_a_name_typed_but_not_picked_from_the_list_is_an_error(qtbot, records, school):
    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["last_name"].setText("Орлов")
    dialog.editors["first_name"].setText("Павел")
    lookup = dialog.editors["organization_id"]
    lookup.line.insert("Школа, которой нет")
    assert lookup.value() == ""
    assert dialog.error_text("organization_id").startswith("выберите запись из списка")
    assert not dialog.save_button.isEnabled()
    assert lookup.search("которой нет") == 0
    lookup.line.clear()
    assert dialog.error_text("organization_id") == "" and dialog.save_button.isEnabled()


def test_lookup_over_an_entity_without_a_search_key(qtbot, records):
    teacher = records.create("teachers", {"last_name": "Орлов", "first_name": "Павел"})
    diagnostic = records.create("diagnostics", {"teacher_id": teacher["id"], "held_on": "01.10.2025",
                                                "instrument": "Анкета методиста"})
    records.create("diagnostics", {"teacher_id": teacher["id"], "held_on": "01.03.2025",
                                   "instrument": "Предметный тест"})
    dialog = _dialog(qtbot, records, "diagnostic_results")
    lookup = dialog.editors["diagnostic_id"]
    assert lookup.search("орлов") == 2                 # the service finds it by its teacher
    assert lookup.search("анкета") == 1                # its own words are matched on a page of it
    assert lookup.match_labels() == ["Орлов Павел"]
    assert "01.10.2025 · Анкета методиста" in lookup.matches.item(0).text()
    lookup.choose(0)
    assert lookup.value() == diagnostic["id"]


def test_cancel_with_changes_asks_and_cancel_keeps_the_form(qtbot, records, discard_answers):
    dialog = _dialog(qtbot, records, "teachers")
    dialog.cancel_button.click()                  # nothing typed: closes without asking
    assert discard_answers["asked_discard"] == 0 and not dialog.isVisible()

    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["last_name"].insert("Орлов")
    dialog.cancel_button.click()
    assert discard_answers["asked_discard"] == 1 and dialog.isVisible()
    discard_answers["discard"] = messages.DISCARD
    dialog.close()                                # the window's own close button asks too
    assert discard_answers["asked_discard"] == 2 and not dialog.isVisible()
    assert records.count("teachers") == 0


def test_closing_with_changes_and_choosing_save_saves(qtbot, records, discard_answers):
    discard_answers["discard"] = messages.SAVE
    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["last_name"].insert("Орлов")
    dialog.editors["first_name"].insert("Павел")
    dialog.reject()
    assert not dialog.isVisible() and dialog.saved_id is not None
    assert records.get("teachers", dialog.saved_id)["last_name"] == "Орлов"


def test_choosing_save_with_an_invalid_value_keeps_the_form_open(qtbot, records, discard_answers):
    discard_answers["discard"] = messages.SAVE
    dialog = _dialog(qtbot, records, "teachers")
    dialog.editors["snils"].insert("123")
    dialog.reject()
    assert dialog.isVisible() and dialog.saved_id is None
    # Saving touched every field: the missing required ones are now shown too.
    assert dialog.error_text("last_name") == "обязательное поле не заполнено"
    assert records.count("teachers") == 0


def test_ask_returns_the_saved_id_or_none(qtbot, records, monkeypatch):
    def fake_exec(self):
        self.editors["last_name"].setText("Орлов")
        self.editors["first_name"].setText("Павел")
        self.save()
        return self.result()

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)
    new_id = RecordDialog.ask(None, records, "teachers")
    assert records.get("teachers", new_id)["last_name"] == "Орлов"
    monkeypatch.setattr(RecordDialog, "exec", lambda self: RecordDialog.DialogCode.Rejected)
    assert RecordDialog.ask(None, records, "teachers") is None


def test_ask_for_a_missing_record_shows_the_message(qtbot, records, message_answers):
    assert RecordDialog.ask(None, records, "teachers", "no-such-id") is None
    assert len(message_answers["errors"]) == 1 and "Не найдена запись (педагог)" in message_answers["errors"][0]


def test_a_record_someone_saved_meanwhile_is_not_overwritten_and_what_was_typed_stays(qtbot, db, records, school):
    from app.services.common.actor import Actor
    from app.services.registry.service import RecordService

    teacher = records.create("teachers", {"last_name": "Орлов", "first_name": "Павел",
                                          "organization_id": school["id"]})
    dialog = _dialog(qtbot, records, "teachers", teacher["id"])
    RecordService(db, Actor("kuznetsova")).update("teachers", teacher["id"], {"position": "завуч"})

    dialog.editors["position"].insert("учитель истории")
    dialog.save_button.click()
    assert dialog.isVisible() and not dialog.general_error.isHidden()
    assert "уже изменил(а) kuznetsova" in dialog.general_error.text()
    assert dialog.editors["position"].text() == "учитель истории"          # nothing typed is lost
    assert records.get("teachers", teacher["id"])["position"] == "завуч"    # nor is the colleague's save

    dialog.save_button.click()              # the user has seen the warning and writes over it
    assert not dialog.isVisible()
    assert records.get("teachers", teacher["id"])["position"] == "учитель истории"
