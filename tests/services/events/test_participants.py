"""Participants: bulk adding, the attendance sheet, and the attended event in the teacher's route."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.events import events as ev
from app.services.events import participants as ep
from app.services.common.actor import Actor
from app.services.common.errors import ServiceError
from tests.services.events.conftest import event_values

ACTOR = Actor("tester")


def _items(records, teacher_id):
    routes = [r for r in records.list("trajectories").rows if r["teacher_id"] == teacher_id]
    return [i for i in records.list("trajectory_items").rows if i["trajectory_id"] in {r["id"] for r in routes}]


def test_bulk_adding_skips_those_already_added(db, net):
    event_id = ev.create_event(db, ACTOR, event_values())
    first = ep.add_participants(db, ACTOR, event_id, teacher_ids=ep.teachers_of_community(db, net.community["id"]))
    assert (first.added, first.skipped) == (2, 0)
    second = ep.add_participants(db, ACTOR, event_id, teacher_ids=ep.teachers_of_organization(db, net.school["id"]),
                                 organization_ids=[net.centre["id"]], role="organizer")
    assert (second.added, second.skipped) == (2, 2)
    assert "уже были в списке: 2" in second.text()
    rows = ep.participants(db, event_id)
    assert [r.name for r in rows] == ["Андреева Анна", "Ёлкин Пётр", "Смирнова Ольга", "ИМЦ"]
    assert rows[-1].role_label == "Организатор" and rows[0].organization == "Школа № 5"


def test_adding_from_a_filtered_teacher_list_uses_the_search(db, net):
    event_id = ev.create_event(db, ACTOR, event_values())
    ids = ep.teachers_of_list(db, "елкин")
    assert ids == [net.teachers[1]["id"]]
    ep.add_participants(db, ACTOR, event_id, teacher_ids=ids)
    assert [r.name for r in ep.participants(db, event_id)] == ["Ёлкин Пётр"]


def test_present_attendance_puts_a_completed_non_formal_item_in_the_route(db, records, net):
    teacher = net.teachers[0]
    event_id = ev.create_event(db, ACTOR, event_values(hours=6), [net.centre["id"]])
    added = ep.add_participants(db, ACTOR, event_id, teacher_ids=[teacher["id"], net.teachers[1]["id"]])
    pid, absent_pid = added.ids
    assert ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"},
                                                    absent_pid: {"attendance": "excused"}}) == 2
    items = _items(records, teacher["id"])
    assert len(items) == 1
    item = records.get("trajectory_items", items[0]["id"])
    assert (item["kind"], item["formality"], item["status"]) == ("event", "non_formal", "completed")
    assert (item["hours"], item["credits"], item["event_id"]) == (6.0, 0.17, event_id)
    assert item["actual_end"] == date(2025, 3, 12) and item["organization_id"] == net.centre["id"]
    route = records.get("trajectories", item["trajectory_id"])
    assert (route["period_start"], route["period_end"]) == (date(2025, 1, 1), date(2025, 12, 31))
    assert records.get("participations", pid)["hours"] == 6.0
    assert _items(records, net.teachers[1]["id"]) == []
    # The three-year rule counts formal programmes only: the event does not move the last PD date.
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2023, 5, 20)


def test_the_item_goes_into_the_route_covering_the_date_and_follows_hours_and_unmarking(db, records, net):
    teacher = net.teachers[0]
    route = records.create("trajectories", {"teacher_id": teacher["id"], "period_start": date(2024, 9, 1),
                                            "period_end": date(2025, 8, 31)})
    event_id = ev.create_event(db, ACTOR, event_values(hours=0))
    pid = ep.add_participants(db, ACTOR, event_id, teacher_ids=[teacher["id"]]).ids[0]
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"}})
    assert _items(records, teacher["id"]) == []                 # no hours, nothing credited
    ep.save_attendance(db, ACTOR, event_id, {pid: {"hours": 72}})
    items = _items(records, teacher["id"])
    assert [(i["trajectory_id"], i["hours"], i["credits"]) for i in items] == [(route["id"], 72.0, 2.0)]
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "absent"}})
    assert _items(records, teacher["id"]) == []
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"}})
    assert len(_items(records, teacher["id"])) == 1
    ep.remove_participants(db, ACTOR, event_id, [pid])
    assert _items(records, teacher["id"]) == [] and ep.participants(db, event_id) == []


def test_a_formal_programme_does_move_the_last_pd_date_while_the_event_does_not(db, records, net):
    """The control for the test above: the same route with a completed formal programme changes last_pd_on."""
    teacher = net.teachers[2]
    event_id = ev.create_event(db, ACTOR, event_values(hours=36, starts_on=date(2025, 6, 1)))
    pid = ep.add_participants(db, ACTOR, event_id, teacher_ids=[teacher["id"]]).ids[0]
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"}})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2023, 5, 20)
    route_id = _items(records, teacher["id"])[0]["trajectory_id"]
    records.create("trajectory_items", {"trajectory_id": route_id, "kind": "programme", "formality": "formal",
                                        "title": "Курсы ПК", "status": "completed", "actual_end": date(2025, 2, 1),
                                        "hours": 72})
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2025, 2, 1)


def test_a_bad_value_in_the_sheet_saves_nothing(db, records, net):
    event_id = ev.create_event(db, ACTOR, event_values())
    a, b = ep.add_participants(db, ACTOR, event_id, teacher_ids=[t["id"] for t in net.teachers[:2]]).ids
    with pytest.raises(ServiceError, match="не сохранены"):
        ep.save_attendance(db, ACTOR, event_id, {a: {"attendance": "present"}, b: {"attendance": "maybe"}})
    assert {r.attendance for r in ep.participants(db, event_id)} == {"unknown"}
    assert records.count("trajectory_items") == 0


def test_route_items_follow_a_change_of_the_event_itself(db, records, net):
    teacher = net.teachers[0]
    event_id = ev.create_event(db, ACTOR, event_values(hours=2))
    pid = ep.add_participants(db, ACTOR, event_id, teacher_ids=[teacher["id"]]).ids[0]
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"}})
    records.update("events", event_id, {"title": "Семинар-практикум", "starts_on": date(2025, 3, 14)})
    assert ep.resync_routes(db, ACTOR, event_id) == 1
    item = records.get("trajectory_items", _items(records, teacher["id"])[0]["id"])
    assert (item["title"], item["actual_end"], item["hours"]) == ("Семинар: Семинар-практикум", date(2025, 3, 14), 2.0)
    assert records.get("teachers", teacher["id"])["last_pd_on"] == date(2023, 5, 20)


def test_an_event_credited_in_routes_is_not_deleted_silently(db, records, net):
    event_id = ev.create_event(db, ACTOR, event_values())
    pid = ep.add_participants(db, ACTOR, event_id, teacher_ids=[net.teachers[0]["id"]]).ids[0]
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "present"}})
    with pytest.raises(ServiceError, match="элементы маршрутов"):
        records.delete("events", event_id)
    ep.save_attendance(db, ACTOR, event_id, {pid: {"attendance": "unknown"}})
    assert records.delete("events", event_id) >= 2          # the event with its participation


def test_a_participation_saved_through_the_generic_form_keeps_the_route_and_the_certificate(db, records, net):
    from app.services.events.certificates import issue_certificates

    teacher = net.teachers[0]
    event_id = ev.create_event(db, ACTOR, event_values(hours=6), [net.centre["id"]])
    # As «Участие в мероприятиях → Создать» or an import writes it: no attendance sheet involved.
    p = records.create("participations", {"event_id": event_id, "teacher_id": teacher["id"], "role": "participant",
                                          "attendance": "present", "hours": 6})
    items = [records.get("trajectory_items", i["id"]) for i in _items(records, teacher["id"])]
    assert [(i["kind"], i["status"], i["hours"], i["event_id"]) for i in items] == \
        [("event", "completed", 6.0, event_id)]
    cert = issue_certificates(db, event_id).certificates[0]

    records.update("participations", p["id"], {"hours": 8})
    assert [records.get("trajectory_items", i["id"])["hours"] for i in _items(records, teacher["id"])] == [8.0]
    records.update("participations", p["id"], {"attendance": "absent"})
    assert _items(records, teacher["id"]) == []
    revoked = records.get("certificates", cert.id)
    assert revoked["revoked_reason"] and records.get("participations", p["id"])["certificate_number"] == ""

    records.update("participations", p["id"], {"attendance": "present"})
    assert len(_items(records, teacher["id"])) == 1
    # The bin too: a participation deleted takes its item along, restored brings it back.
    other = net.teachers[1]
    q = records.create("participations", {"event_id": event_id, "teacher_id": other["id"], "role": "participant",
                                          "attendance": "present"})
    assert len(_items(records, other["id"])) == 1           # the event's hours when none were typed
    records.delete("participations", q["id"])
    assert _items(records, other["id"]) == []
    records.restore("participations", q["id"])
    assert len(_items(records, other["id"])) == 1
