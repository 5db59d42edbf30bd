"""Events: organisers, copies, series, the month calendar."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.events import events as ev
from app.services.common.actor import Actor
from app.services.common.errors import ServiceError
from app.services.events.participants import participants
from tests.services.events.conftest import event_values

ACTOR = Actor("tester")


def test_an_event_is_created_with_several_organisers_and_they_can_be_replaced(db, records, net):
    event_id = ev.create_event(db, ACTOR, event_values(), [net.centre["id"], net.school["id"]])
    assert [n for _i, n in ev.organizer_names(db, event_id)] == ["ИМЦ", "Школа № 5"]
    ev.set_organizers(db, ACTOR, event_id, [net.school["id"]])
    assert ev.organizer_ids(db, event_id) == [net.school["id"]]
    assert records.count("event_organizers", deleted=True) == 1


def test_a_copy_has_a_new_date_the_same_length_and_organisers_but_no_participants(db, records, net):
    from app.services.events.participants import add_participants

    event_id = ev.create_event(db, ACTOR, event_values(ends_on=date(2025, 3, 13), plan_year=2025,
                                                      status="held"), [net.centre["id"]])
    add_participants(db, ACTOR, event_id, teacher_ids=[t["id"] for t in net.teachers])
    copy_id = ev.copy_event(db, ACTOR, event_id, date(2026, 4, 1))
    copy = records.get("events", copy_id)
    assert (copy["starts_on"], copy["ends_on"], copy["plan_year"]) == (date(2026, 4, 1), date(2026, 4, 2), 2026)
    assert copy["status"] == "planned" and copy["title"] == records.get("events", event_id)["title"]
    assert ev.organizer_ids(db, copy_id) == [net.centre["id"]]
    assert participants(db, copy_id) == []
    assert len(participants(db, event_id)) == 3


def test_a_monthly_series_links_its_meetings_and_gives_each_the_community_members(db, records, net):
    ids = ev.create_series(db, ACTOR, event_values(title="Заседание РМО математиков", kind="rmo_meeting",
                                                   community_id=net.community["id"]),
                           date(2025, 1, 31), 4, "month", [net.centre["id"]])
    meetings = ev.series_of(db, ids[2])
    assert [m.starts_on for m in meetings] == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31),
                                               date(2025, 4, 30)]
    assert [m.id for m in meetings] == ids
    for event_id in ids:
        assert {p.teacher_id for p in participants(db, event_id)} == {t["id"] for t in net.teachers[:2]}
        assert ev.organizer_ids(db, event_id) == [net.centre["id"]]


def test_a_series_with_a_bad_meeting_is_not_created_at_all(db, records, net):
    with pytest.raises(ServiceError):
        ev.create_series(db, ACTOR, event_values(kind="no_such_kind"), date(2025, 1, 1), 3, "week")
    with pytest.raises(ServiceError, match="от 1 до"):
        ev.series_dates(date(2025, 1, 1), 0, "week")
    assert records.count("events") == 0


def test_the_month_calendar_puts_a_several_day_event_on_each_of_its_days(db, net):
    ev.create_event(db, ACTOR, event_values(title="Марафон", starts_on=date(2025, 3, 30), ends_on=date(2025, 4, 2)))
    ev.create_event(db, ACTOR, event_values(title="Вебинар", starts_on=date(2025, 4, 2), kind="webinar"))
    april = ev.month_calendar(db, 2025, 4)
    assert sorted(april) == [date(2025, 4, 1), date(2025, 4, 2)]
    assert [e.title for e in april[date(2025, 4, 2)]] == ["Марафон", "Вебинар"]
    assert "Вебинар" in april[date(2025, 4, 2)][1].text()
    assert set(ev.month_calendar(db, 2025, 3)) == {date(2025, 3, 30), date(2025, 3, 31)}


def test_event_attachments_get_safe_names_and_empty_files_are_refused(db, records, tmp_path):
    from app.services.events import files as event_files_service

    event = {"id": ev.create_event(db, ACTOR, event_values())}
    minutes = tmp_path / "NUL.docx"
    minutes.write_bytes(b"protocol")
    file_id = event_files_service.attach_file(records.db, None, event["id"], minutes)
    assert [f.file_name for f in event_files_service.event_files(records.db, event["id"])] == ["_NUL.docx"]
    assert event_files_service.export_file(records.db, file_id).name == "_NUL.docx"
    (tmp_path / "пусто.pdf").write_bytes(b"")
    with pytest.raises(ServiceError, match="«пусто.pdf» пустой"):
        event_files_service.attach_file(records.db, None, event["id"], tmp_path / "пусто.pdf")
    assert len(event_files_service.event_files(records.db, event["id"])) == 1
