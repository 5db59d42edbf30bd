"""A small network written straight into a real SQLite file, for checking every report figure.

The figures the tests expect are not written here: each test counts them
again from the database with its own SQL or plain Python over these rows.
"""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from app.storage.base import utcnow
from app.storage.models import (
    Agreement, AgreementParty, Community, CommunityMember, Event, EventOrganizer, InfoRequest, Material,
    MaterialAuthor, Mentorship, Municipality, Organization, OrganizationRole, Participation, Review, Teacher,
    Trajectory, TrajectoryItem,
)

DAY = date(2026, 6, 30)          # the report's «по состоянию на» / end of the period
START = date(2026, 1, 1)


@pytest.fixture
def network(db):
    ids: dict[str, str] = {}
    with db.session() as s:
        s.add_all([Municipality(code="A", name="Город А", origin="A"), Municipality(code="B", name="Район Б", origin="B")])
        orgs = {
            "s1": Organization(full_name="Школа № 1 полное", short_name="Школа № 1", kind="school", inn="5050000005",
                               joined_on=date(2020, 1, 1), origin="A"),
            "s2": Organization(full_name="Школа № 2 полное", short_name="Школа № 2", kind="school",
                               joined_on=date(2026, 7, 15), origin="A"),          # joins after DAY
            "k1": Organization(full_name="Детский сад № 3", short_name="", kind="kindergarten", origin="B",
                               joined_on=date(2019, 1, 1)),
            "gone": Organization(full_name="Бывший участник", kind="school", origin="A", joined_on=date(2018, 1, 1),
                                 left_on=date(2025, 1, 1)),
            "deleted": Organization(full_name="Удалённая", kind="school", origin="A", deleted_at=utcnow()),
        }
        s.add_all(orgs.values())
        s.flush()
        ids.update({k: o.id for k, o in orgs.items()})
        s.add(OrganizationRole(organization_id=ids["s1"], role="resource_centre", since=date(2025, 1, 1)))
        s.add(OrganizationRole(organization_id=ids["k1"], role="internship_site", since=date(2020, 1, 1),
                               until=date(2025, 12, 31)))

        def teacher(key, last, org, **kw):
            t = Teacher(last_name=last, first_name="Анна", middle_name="Петровна", organization_id=ids.get(org), **kw)
            s.add(t)
            s.flush()
            ids[key] = t.id
            return t

        # The three-year rule on DAY = 30.06.2026 (warning: six months, to 31.12.2026).
        teacher("ok", "Охватова", "s1", last_pd_on=date(2025, 3, 1), snils="112-233-445 95",
                birth_date=date(1980, 1, 1), career_start=date(2000, 9, 1))
        teacher("soon", "Скорова", "s1", last_pd_on=date(2023, 10, 1), birth_date=date(1995, 5, 5),
                career_start=date(2017, 9, 1))                                 # due 01.10.2026
        teacher("over", "Просрочкина", "s1", last_pd_on=date(2022, 1, 10), birth_date=date(1970, 2, 2),
                snils="123-456-789 64")                                       # due 10.01.2025
        teacher("start", "Новикова", "s2", career_start=date(2024, 9, 1), birth_date=date(1985, 3, 3))
        teacher("none", "Безданных", "k1")
        teacher("k_over", "Садовая", "k1", hired_on=date(2010, 9, 1), birth_date=date(1999, 12, 31))
        teacher("free", "Безорганизационная", None, last_pd_on=date(2024, 1, 1))
        teacher("mentor", "Наставникова", "s1", last_pd_on=date(2026, 2, 1), birth_date=date(1975, 1, 1))
        teacher("dead", "Удалённова", "s1", career_start=date(2000, 1, 1), deleted_at=utcnow())

        # Routes: completed items count in the credits (credits as stored, or hours / 36).
        def route(teacher_key, *items, deleted=False):
            tr = Trajectory(teacher_id=ids[teacher_key], period_start=date(2024, 1, 1), period_end=date(2026, 12, 31),
                            deleted_at=utcnow() if deleted else None)
            s.add(tr)
            s.flush()
            for kind, formality, status, end, hours, credits in items:
                s.add(TrajectoryItem(trajectory_id=tr.id, kind=kind, formality=formality, title=f"{kind} {end}",
                                     status=status, actual_end=end, hours=hours, credits=credits))

        route("ok", ("programme", "formal", "completed", date(2025, 3, 1), 72, 2.0),
              ("event", "non_formal", "completed", date(2026, 2, 10), 4.5, 0.0),
              ("programme", "formal", "completed", date(2026, 3, 1), 36, 0.0),
              ("programme", "formal", "planned", date(2026, 5, 1), 36, 1.0))
        route("soon", ("internship", "non_formal", "completed", date(2026, 4, 2), 18, 0.0))
        route("over", ("programme", "formal", "completed", date(2026, 6, 30), 16, 0.5))
        route("start", ("programme", "formal", "completed", date(2026, 5, 5), 100, 0.0), deleted=True)

        # Events: one cancelled, one before the period, one deleted; absent participants do not count.
        def event(key, title, kind, starts_on, status="held", **kw):
            e = Event(title=title, kind=kind, format="in_person", starts_on=starts_on, status=status, hours=4, **kw)
            s.add(e)
            s.flush()
            ids[key] = e.id

        event("e1", "Семинар А", "seminar", date(2026, 2, 1))
        event("e2", "Вебинар Б", "webinar", date(2026, 3, 1))
        event("e3", "Семинар В", "seminar", date(2026, 4, 1), status="cancelled")
        event("e_old", "Семинар прошлого года", "seminar", date(2025, 11, 1))
        event("e_del", "Удалённое", "seminar", date(2026, 2, 2), deleted_at=utcnow())
        s.add_all([EventOrganizer(event_id=ids["e1"], organization_id=ids["s1"]),
                   EventOrganizer(event_id=ids["e2"], organization_id=ids["k1"])])
        for ev, who, attendance in (("e1", "ok", "present"), ("e1", "soon", "present"), ("e1", "k_over", "absent"),
                                    ("e1", "start", "unknown"), ("e2", "ok", "present"), ("e2", "k_over", "present"),
                                    ("e3", "ok", "present"), ("e_old", "ok", "present"), ("e_old", "soon", "present")):
            s.add(Participation(event_id=ids[ev], teacher_id=ids[who], attendance=attendance))
        s.add(Participation(event_id=ids["e2"], organization_id=ids["s2"], attendance="present"))
        s.add(Participation(event_id=ids["e1"], teacher_id=ids["over"], attendance="present", deleted_at=utcnow()))

        # Communities, materials and their reviews.
        c = Community(name="РМО учителей", kind="rmo", starts_on=date(2024, 9, 1), moderator_id=ids["mentor"],
                      base_organization_id=ids["s1"], decision_number="12-р", decision_date=date(2024, 8, 20))
        s.add(c)
        s.add(Community(name="Закрытое сообщество", kind="working_group", starts_on=date(2020, 1, 1),
                        ends_on=date(2021, 1, 1)))
        s.flush()
        ids["c1"] = c.id
        s.add_all([CommunityMember(community_id=c.id, teacher_id=ids["ok"]),
                   CommunityMember(community_id=c.id, teacher_id=ids["soon"]),
                   CommunityMember(community_id=c.id, organization_id=ids["s1"]),
                   CommunityMember(community_id=c.id, teacher_id=ids["over"], deleted_at=utcnow())])
        s.get(Event, ids["e1"]).community_id = c.id
        s.get(Event, ids["e3"]).community_id = c.id
        for key, title, submitted, org in (("m1", "Рекомендации", date(2026, 2, 15), "s1"),
                                           ("m2", "Проект", date(2026, 5, 1), "k1"),
                                           ("m_old", "Старый материал", date(2025, 5, 1), "s1")):
            m = Material(title=title, kind="guidelines", submitted_on=submitted, organization_id=ids[org],
                         community_id=c.id if key == "m1" else None, status="in_review")
            s.add(m)
            s.flush()
            ids[key] = m.id
        s.add_all([MaterialAuthor(material_id=ids["m1"], teacher_id=ids["ok"]),
                   MaterialAuthor(material_id=ids["m1"], teacher_id=ids["soon"])])
        for mat, decision, score, decided in (("m1", "approved", 80, date(2026, 3, 1)),
                                              ("m1", "revision", 60, date(2026, 3, 2)),
                                              ("m2", "pending", None, None),
                                              ("m_old", "approved", 90, date(2025, 6, 1))):
            s.add(Review(material_id=ids[mat], expert_id=ids["mentor"], assigned_on=date(2026, 2, 20),
                         decision=decision, total_score=score, decided_on=decided))

        # Mentoring: «soon» (young by age) has a mentor on DAY; «start» (new to work) had one that ended.
        s.add(Mentorship(mentor_id=ids["mentor"], mentee_id=ids["soon"], form="teacher_teacher",
                         starts_on=date(2026, 1, 10)))
        s.add(Mentorship(mentor_id=ids["mentor"], mentee_id=ids["start"], form="teacher_teacher",
                         starts_on=date(2024, 9, 1), ends_on=date(2025, 9, 1)))

        # Agreements and requests.
        for key, number, status, frm, to, signed in (
                ("a1", "1/2025", "active", date(2025, 1, 1), date(2027, 1, 1), date(2024, 12, 20)),
                ("a2", "2/2024", "active", date(2024, 1, 1), date(2026, 1, 1), date(2023, 12, 1)),   # ran out
                ("a3", "3/2026", "terminated", date(2026, 1, 1), None, date(2025, 12, 1)),
                ("a4", "4/2027", "draft", None, None, date(2026, 8, 1))):                          # after DAY
            a = Agreement(number=number, kind="agreement", subject=f"Предмет {number}", status=status,
                          valid_from=frm, valid_to=to, signed_on=signed)
            s.add(a)
            s.flush()
            ids[key] = a.id
        s.add_all([AgreementParty(agreement_id=ids["a1"], organization_id=ids["s1"]),
                   AgreementParty(agreement_id=ids["a1"], organization_id=ids["k1"]),
                   AgreementParty(agreement_id=ids["a2"], organization_id=ids["k1"])])
        for number, sent, due, answered in (("Вх-1", date(2026, 2, 1), date(2026, 2, 10), date(2026, 2, 9)),
                                            ("Вх-2", date(2026, 3, 1), date(2026, 3, 10), date(2026, 3, 15)),
                                            ("Вх-3", date(2026, 6, 1), date(2026, 6, 20), None),
                                            ("Вх-4", date(2026, 6, 25), date(2026, 7, 5), None),
                                            ("Вх-0", date(2025, 3, 1), date(2025, 3, 5), None)):
            s.add(InfoRequest(number=number, direction="incoming", sender_id=ids["k1"], addressee_id=ids["s1"],
                              reply_contact="-", sent_on=sent, prepared_by_name="Иванова Ирина",
                              prepared_by_position="методист", prepared_by_phone="+79123456789",
                              prepared_by_email="ivanova@school.ru", subject=f"Тема {number}", due_on=due,
                              answered_on=answered, status="answered" if answered else "in_work"))
    return ids


@pytest.fixture
def sql(db_path):
    """Plain sqlite3 on the same file: the independent side of every check."""
    conn = sqlite3.connect(db_path)
    yield conn
    conn.close()
