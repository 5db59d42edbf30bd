"""The certificate register: issuing only for the present, one number per participation, verification."""
from __future__ import annotations

import re

import pytest

from app.domain.certificate_codes import CODE_LENGTH, normalize_code
from app.services.events import certificates as C
from app.services.events.certificate_participants import find_event
from app.services.common.actor import Actor
from app.services.common.errors import ServiceError
from app.storage.models import AuditLog, Certificate, Participation

ACTOR = Actor("методист")


def test_only_present_participants_get_certificates(db, seminar):
    result = C.issue_certificates(db, seminar.event_id, actor=ACTOR)
    names = {c.recipient_name for c in result.certificates}
    assert names == set(seminar.present) | {"Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 7»"}
    assert result.new_count == 3
    assert sorted(n for n, _ in result.skipped) == sorted(seminar.others)
    assert all(reason == C.NOT_PRESENT for _, reason in result.skipped)
    with db.read() as s:
        assert s.query(Certificate).count() == 3
        numbers = {p.id: p.certificate_number for p in s.query(Participation)}
    for pid in seminar.others.values():
        assert numbers[pid] == ""
    for pid in seminar.present.values():
        assert re.fullmatch(r"\d{4}-\d{6}", numbers[pid])


def test_numbers_are_sequential_per_year_and_codes_unguessable(db, seminar):
    first = C.issue_certificates(db, seminar.event_id, actor=ACTOR).certificates
    year = first[0].issued_at.year
    assert sorted(c.number for c in first) == [f"{year}-{n:06d}" for n in (1, 2, 3)]
    codes = {normalize_code(c.code) for c in first}
    assert len(codes) == 3 and all(len(code) == CODE_LENGTH for code in codes)
    assert all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", c.code) for c in first)


def test_issuing_again_returns_the_same_entry_unless_revoked(db, seminar):
    anna = seminar.present["Петрова Анна Сергеевна"]
    one = C.issue_certificate(db, anna, actor=ACTOR)
    again = C.issue_certificates(db, seminar.event_id, [anna], actor=ACTOR)
    assert again.new_count == 0 and again.certificates == [one]
    revoked = C.revoke(db, one.id, "ошибка в ФИО", actor=ACTOR)
    assert not revoked.is_valid and revoked.revoked_reason == "ошибка в ФИО"
    fresh = C.issue_certificate(db, anna, actor=ACTOR)
    assert fresh.number != one.number and fresh.code != one.code
    # The revoked one still verifies — as revoked, with the reason.
    old = C.verify(db, one.code)
    assert old.status_label.startswith("Отозван") and ("Причина отзыва", "ошибка в ФИО") in old.lines()
    with db.read() as s:
        assert s.get(Participation, anna).certificate_number == fresh.number
        actions = [a.action for a in s.query(AuditLog).filter(AuditLog.entity == "certificates")]
    assert sorted(actions) == ["create", "create", "update"]


def test_a_participant_not_marked_present_is_refused_with_a_reason(db, seminar):
    with pytest.raises(ServiceError, match="Сидорова Вера — посещение не отмечено"):
        C.issue_certificate(db, seminar.others["Сидорова Вера"], actor=ACTOR)
    with db.read() as s:
        assert s.query(Certificate).count() == 0


def test_verify_returns_the_snapshot_whatever_happens_to_the_event_later(db, records, seminar):
    cert = C.issue_certificate(db, seminar.present["Ёлкин Борис Иванович"], actor=ACTOR)
    records.update("events", seminar.event_id, {"title": "Другое название", "hours": 99})
    typed = cert.code.lower().replace("-", " ")
    found = C.verify(db, f"  {typed} ")
    assert found.recipient_name == "Ёлкин Борис Иванович"
    assert found.event_title == seminar.title and found.event_kind == "Семинар"
    assert found.role == "Выступающий" and found.hours == 4
    assert found.dates_text == "12.03.2026 – 13.03.2026"
    assert found.organization_name.endswith("«Средняя школа № 7»")
    assert found.organizer == "Муниципальное казённое учреждение «Информационно-методический центр»"
    assert found.signer_name == "Т. В. Соколова"
    assert found.issued_by == "методист" and found.is_valid
    # Marked present without own hours, a participant took the event's hours then (as on the attendance
    # sheet); a later change of the event's hours is not hers.
    anna = C.issue_certificate(db, seminar.present["Петрова Анна Сергеевна"], actor=ACTOR)
    assert anna.hours == 6 and anna.event_title == "Другое название"


def test_verify_tolerates_look_alikes_and_explains_bad_codes(db, seminar):
    cert = C.issue_certificates(db, seminar.event_id, actor=ACTOR).certificates[0]
    raw = normalize_code(cert.code)
    spoiled = raw.replace("0", "o").replace("1", "l")
    assert C.verify(db, spoiled).id == cert.id
    with pytest.raises(ServiceError, match="не найден"):
        C.verify(db, "2222-2222-22" if raw != "2222222222" else "3333-3333-33")
    with pytest.raises(ServiceError, match="состоит из 10 знаков.*введено 4"):
        C.verify(db, "ABCD")
    with pytest.raises(ServiceError, match="недопустимый знак «Ж»"):
        C.verify(db, "ЖЖЖЖ-ЖЖЖЖ-ЖЖ")
    with pytest.raises(ServiceError, match="Введите код"):
        C.verify(db, "  - ")


def test_register_search_by_name_number_and_code(db, seminar):
    issued = C.issue_certificates(db, seminar.event_id, actor=ACTOR).certificates
    anna = next(c for c in issued if c.recipient_name.startswith("Петрова"))
    assert [c.id for c in C.list_certificates(db, search="петрова")] == [anna.id]
    assert [c.id for c in C.list_certificates(db, search=anna.number)] == [anna.id]
    assert [c.id for c in C.list_certificates(db, search=anna.code.lower())] == [anna.id]
    assert len(C.list_certificates(db, search="функциональной")) == 3
    assert C.list_certificates(db, search="нет такого") == []


def test_find_event_by_id_or_unique_title_fragment(db, records, seminar):
    assert find_event(db, seminar.event_id) == seminar.event_id
    assert find_event(db, "функциональной ГРАМОТНОСТИ") == seminar.event_id
    records.create("events", {"title": "Функциональная грамотность: итоги", "kind": "webinar",
                              "format": "remote", "starts_on": "01.04.2026"})
    with pytest.raises(ServiceError, match="несколько мероприятий"):
        find_event(db, "функциональн")
    with pytest.raises(ServiceError, match="не найдено"):
        find_event(db, "астрономия")


def test_participation_with_a_certificate_cannot_be_deleted(records, db, seminar):
    C.issue_certificates(db, seminar.event_id, actor=ACTOR)
    with pytest.raises(ServiceError, match="сертификаты участников"):
        records.delete("participations", seminar.present["Петрова Анна Сергеевна"])


def test_demo_data_fill_the_register_and_new_numbers_continue_it(db):
    from datetime import date

    from sqlalchemy import select

    from app.services.demo.generator import generate_demo

    generate_demo(db, 100, seed=5)
    register = C.list_certificates(db)
    assert register
    with db.read() as s:
        numbered = dict(s.execute(select(Participation.id, Participation.certificate_number)
                                  .where(Participation.certificate_number != "")).all())
        candidate = s.scalar(select(Participation.id).where(
            Participation.attendance == "present", Participation.certificate_number == "",
            Participation.teacher_id.is_not(None)).limit(1))
    assert {r.participation_id: r.number for r in register} == numbered
    sample = register[len(register) // 2]
    assert C.verify(db, sample.code) == sample
    year = date.today().year
    this_year = [int(r.number.split("-")[1]) for r in register if r.number.startswith(f"{year}-")]
    fresh = C.issue_certificate(db, candidate, actor=ACTOR)
    assert fresh.number == f"{year}-{max(this_year, default=0) + 1:06d}"


def test_unmarking_attendance_revokes_the_certificate_in_the_same_save(db, seminar):
    from app.domain import enums as E
    from app.services.events.participants import save_attendance

    anna = seminar.present["Петрова Анна Сергеевна"]
    issued = C.issue_certificate(db, anna, actor=ACTOR)
    others = [pid for name, pid in seminar.present.items() if pid != anna]
    save_attendance(db, ACTOR, seminar.event_id, {anna: {"attendance": E.Attendance.ABSENT.value}})

    checked = C.verify(db, issued.code)
    assert not checked.is_valid and checked.revoked_reason == C.ATTENDANCE_WITHDRAWN
    assert checked.status_label.startswith("Отозван")
    with db.read() as s:
        assert s.get(Participation, anna).certificate_number == ""
    # Marked present again: a new certificate can be issued; the others were not touched.
    save_attendance(db, ACTOR, seminar.event_id, {anna: {"attendance": E.Attendance.PRESENT.value}})
    assert C.issue_certificate(db, anna, actor=ACTOR).number != issued.number
    assert all(C.issue_certificates(db, seminar.event_id, [pid], actor=ACTOR).new_count == 1 for pid in others)
