"""Members of a community and parties of an agreement, edited in the owner's form and saved with it."""
from __future__ import annotations

from datetime import date

import pytest

from app.ui.common.record_dialog import RecordDialog
from app.ui.common.related_rows import RELATED, RelatedRowsModel


def _dialog(qtbot, records, entity, record_id=None) -> RecordDialog:
    dialog = RecordDialog(records, entity, record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _members(records, community_id):
    rows = records.list("community_members", filters={"community_id": community_id}).rows
    return sorted(((r["teacher_id"], r["organization_id"], r["role"]) for r in rows), key=str)


@pytest.fixture
def orgs(records):
    return [records.create("organizations", {"full_name": f"Школа № {n}", "short_name": f"СШ № {n}",
                                             "kind": "school"})["id"] for n in (1, 2, 3)]


def _new_community(dialog, name="РМО учителей математики"):
    dialog.editors["name"].setText(name)
    kind = dialog.editors["kind"]
    kind.setCurrentIndex(kind.findData("rmo"))


def test_new_community_with_two_teachers_and_an_organisation_is_saved_in_one_go(qtbot, records, teachers, orgs):
    dialog = _dialog(qtbot, records, "communities")
    assert "Участники" in dialog.sections
    _new_community(dialog)
    related = dialog.related
    assert related.add("teacher_id", teachers["Иванов"])
    assert related.add("teacher_id", teachers["Фёдоров"])
    assert not related.add("teacher_id", teachers["Иванов"])       # already there
    assert "уже в списке" in related.notice.text()
    assert related.add("organization_id", orgs[0])
    assert related.model.rowCount() == 3
    assert related.model.set_value(1, "role", "head")
    assert related.model.index(1, 1).data() == "Руководитель"
    assert related.model.index(0, 2).data() == date.today().strftime("%d.%m.%Y")

    assert dialog.save()
    cid = dialog.saved_id
    assert _members(records, cid) == sorted([
        (teachers["Иванов"], None, "member"), (teachers["Фёдоров"], None, "head"), (None, orgs[0], "member")], key=str)
    assert all(r["joined_on"] == date.today()
               for r in records.list("community_members", filters={"community_id": cid}).rows)


def test_editing_a_community_removes_and_adds_members_on_save(qtbot, records, teachers, orgs):
    cid = records.create("communities", {"name": "Творческая группа", "kind": "creative_group"})["id"]
    for last in ("Иванов", "Семёнов"):
        records.create("community_members", {"community_id": cid, "teacher_id": teachers[last], "role": "member"})
    dialog = _dialog(qtbot, records, "communities", cid)
    related = dialog.related
    assert related.model.rowCount() == 2
    assert not dialog.save_button.isEnabled()

    row = next(r for r in range(2) if related.model.rows()[r].values["teacher_id"] == teachers["Иванов"])
    related.table.selectRow(row)
    assert related.remove_button.isEnabled()
    related.remove_selected()
    assert related.add("teacher_id", teachers["Фёдоров"])
    assert related.add("organization_id", orgs[1])
    keep = next(r for r in range(3) if related.model.rows()[r].values["teacher_id"] == teachers["Семёнов"])
    related.model.set_value(keep, "role", "moderator")
    assert dialog.save_button.isEnabled()
    assert dialog.save()

    assert _members(records, cid) == sorted([
        (teachers["Семёнов"], None, "moderator"), (teachers["Фёдоров"], None, "member"), (None, orgs[1], "member")], key=str)
    # The removed member went to the bin, not away.
    deleted = records.list("community_members", deleted=True, filters={"community_id": cid}).rows
    assert [r["teacher_id"] for r in deleted] == [teachers["Иванов"]]


def test_the_lookup_and_button_add_a_teacher(qtbot, records, teachers):
    dialog = _dialog(qtbot, records, "communities")
    related = dialog.related
    lookup, button = related.lookups["teacher_id"], related.add_buttons["teacher_id"]
    assert not button.isEnabled()
    lookup.line.setText("фед")
    assert lookup.search("фед") == 1
    lookup.choose(0)
    assert button.isEnabled()
    button.click()
    assert related.model.rowCount() == 1
    assert related.model.rows()[0].values["teacher_id"] == teachers["Фёдоров"]
    assert lookup.value() == "" and not button.isEnabled()


def test_new_agreement_with_two_parties_is_created_in_one_save(qtbot, records, orgs):
    dialog = _dialog(qtbot, records, "agreements")
    assert "Стороны договора" in dialog.sections
    e = dialog.editors
    e["number"].setText("17-С")
    e["kind"].setCurrentIndex(e["kind"].findData("agreement"))
    e["subject"].setPlainText("Сетевое взаимодействие")
    e["status"].setCurrentIndex(e["status"].findData("active"))
    related = dialog.related
    related.add("organization_id", orgs[0])
    related.add("organization_id", orgs[2])
    assert related.model.set_value(0, "party_role", "Заказчик")
    assert dialog.save()
    parties = records.list("agreement_parties", filters={"agreement_id": dialog.saved_id}).rows
    assert sorted((p["organization_id"], p["party_role"]) for p in parties) == sorted(
        [(orgs[0], "Заказчик"), (orgs[2], "Сторона")])


def test_cancelling_a_new_community_leaves_no_rows(qtbot, records, teachers, message_answers):
    dialog = _dialog(qtbot, records, "communities")
    _new_community(dialog)
    dialog.related.add("teacher_id", teachers["Иванов"])
    dialog.reject()
    assert message_answers["asked_discard"] == 1
    assert records.count("communities") == 0
    assert records.count("community_members") == 0


def test_members_alone_make_the_form_dirty_and_a_failed_member_rolls_back_everything(
        qtbot, records, teachers, orgs):
    dialog = _dialog(qtbot, records, "communities")
    _new_community(dialog)
    dialog.related.add("teacher_id", teachers["Иванов"])
    # A member whose teacher disappeared meanwhile: the whole save is refused.
    records.delete("teachers", teachers["Иванов"])
    assert not dialog.save()
    assert "Участники" in dialog.general_error.text()
    assert records.count("communities") == 0 and records.count("community_members") == 0


def test_a_bad_date_typed_in_the_table_is_refused(qtbot, records, teachers):
    dialog = _dialog(qtbot, records, "communities")
    related = dialog.related
    related.add("teacher_id", teachers["Иванов"])
    assert not related.model.set_value(0, "joined_on", "31.02.2024")
    assert related.model.set_value(0, "joined_on", "01.09.2024")
    assert related.model.rows()[0].values["joined_on"] == date(2024, 9, 1)


@pytest.mark.parametrize("entity", sorted(RELATED))
def test_related_model_passes_the_model_tester(qtmodeltester, records, teachers, orgs, entity):
    model = RelatedRowsModel(RELATED[entity])
    qtmodeltester.check(model)
    first = RELATED[entity].lookups[0][0]
    target = teachers["Иванов"] if first == "teacher_id" else orgs[0]
    model.add(first, target, "Кто-то")
    model.add(first, orgs[1] if first != "teacher_id" else teachers["Семёнов"], "Ещё")
    qtmodeltester.check(model)
    model.remove(0)
    qtmodeltester.check(model)
