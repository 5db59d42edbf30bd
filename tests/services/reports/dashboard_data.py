"""A small network whose dashboard and «На контроле» figures are counted by hand (see EXPECTED).

Every date is an offset from ``today``, so the same data serves the service
tests (a fixed day) and the GUI tests (the list filters count from the real
today). Records are written through RecordService, validated as a user's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.rules import add_years
from app.services.registry.service import RecordService

D = timedelta(days=1)

# Hand count (the comments in build() say which record is which):
EXPECTED = {
    "teachers": 8,                     # t1…t8; t9 is deleted
    "organizations": 3,
    "covered": 3,                      # t4, t5, t7: a course within three years
    "coverage_percent": 37.5,          # 3 of 8
    "pd": {"ok": 3, "due_soon": 1, "overdue": 3, "unknown": 1},   # ok t5 t6 t7; soon t4; late t1 t2 t3; t8
    "overdue_by_org": [("Школа № 1", 2), ("Гимназия № 2", 1)],
    "young_without_mentor": 1,         # t6 (t7 is young but has a mentor)
    "events_this_year": 3,             # February held + planned, May cancelled
    "materials": {"draft": 1, "submitted": 0, "in_review": 2, "approved": 1, "revision": 0, "rejected": 0},
    "requests_overdue": 1, "requests_soon": 2,
    "reviews_overdue": 1, "reviews_soon": 3,
    "agreements_expiring": 2,
}


@dataclass
class Network:
    today: date
    ids: dict[str, str] = field(default_factory=dict)


def build(records: RecordService, today: date) -> Network:
    net = Network(today)
    ids = net.ids
    T = today

    def org(key, name, kind="school"):
        ids[key] = records.create("organizations", {"full_name": name, "short_name": name, "kind": kind})["id"]

    org("a", "Школа № 1")
    org("b", "Гимназия № 2")
    org("c", "ИМЦ", "methodical")

    def teacher(key, last, org_key=None, **values):
        values = {"last_name": last, "first_name": "Анна", "middle_name": "Ивановна",
                  "organization_id": ids[org_key] if org_key else None, **values}
        ids[key] = records.create("teachers", values)["id"]

    older = add_years(T, -50)
    three_years_ago = add_years(T, -3)
    teacher("t1", "Акимова", "a", birth_date=older, last_pd_on=three_years_ago - 10 * D)     # overdue
    teacher("t2", "Белова", "a", birth_date=older, last_pd_on=three_years_ago - 400 * D)    # overdue
    teacher("t3", "Волкова", "b", birth_date=older, last_pd_on=three_years_ago - 30 * D)    # overdue
    teacher("t4", "Галкина", "a", birth_date=older, last_pd_on=three_years_ago + 60 * D)    # due in 60 days
    teacher("t5", "Дёмина", "b", birth_date=older, last_pd_on=T - 365 * D)                 # ok
    teacher("t6", "Егорова", "b", birth_date=add_years(T, -40), career_start=T - 365 * D)  # ok, young by work
    teacher("t7", "Жукова", None, birth_date=add_years(T, -25), last_pd_on=T - 100 * D)   # ok, young, mentored
    teacher("t8", "Зайцева", "a")                                                          # nothing known
    teacher("t9", "Иванова", "a", birth_date=older, last_pd_on=three_years_ago - 10 * D)   # deleted below
    records.delete("teachers", ids["t9"])
    records.create("mentorships", {"mentor_id": ids["t5"], "mentee_id": ids["t7"], "form": "individual",
                                   "starts_on": T - 100 * D})

    def event(key, title, day, status):
        ids[key] = records.create("events", {"title": title, "kind": "seminar", "format": "in_person",
                                             "starts_on": day, "status": status})["id"]

    event("e1", "Семинар в феврале", date(T.year, 2, 10), "held")
    event("e2", "Вебинар в феврале", date(T.year, 2, 20), "planned")
    event("e3", "Конференция в мае", date(T.year, 5, 5), "cancelled")
    event("e4", "Прошлогодний декабрь", date(T.year - 1, 12, 20), "held")
    event("e5", "Будущий январь", date(T.year + 1, 1, 15), "planned")
    event("e6", "Удалённое", date(T.year, 3, 3), "held")
    records.delete("events", ids["e6"])

    def material(key, title, status):
        ids[key] = records.create("materials", {"title": title, "kind": "project", "status": status})["id"]

    material("m1", "Черновик проекта", "draft")
    material("m2", "Проект «Музейная педагогика»", "in_review")
    material("m3", "Проект «Экология»", "in_review")
    material("m4", "Проект «Шахматы»", "approved")
    material("m5", "Удалённый проект", "in_review")
    records.delete("materials", ids["m5"])

    def review(key, due, decision="pending"):
        ids[key] = records.create("reviews", {"material_id": ids["m2"], "expert_id": ids["t5"], "assigned_on": T - 30 * D,
                                              "due_on": due, "decision": decision})["id"]

    review("r1", T - 3 * D)                 # overdue
    review("r2", T + 5 * D)                 # soon
    review("r3", T + 20 * D)                # later
    review("r4", T - 10 * D, "approved")    # decided
    review("r5", T + 7 * D)                 # soon (the last day of the window)
    review("r6", T)                         # soon (today)

    common = {"direction": "incoming", "sender_id": ids["a"], "addressee_id": ids["c"], "reply_contact": "imc@mail.ru",
              "prepared_by_name": "Орлова О. О.", "prepared_by_position": "секретарь",
              "prepared_by_phone": "+79123456789", "prepared_by_email": "o@mail.ru", "status": "received",
              "sent_on": T - 40 * D}

    def request(key, number, due, answered=None):
        ids[key] = records.create("requests", {**common, "number": number, "subject": f"Запрос {number}",
                                               "due_on": due, "answered_on": answered})["id"]

    request("q1", "Вх-1", T - 2 * D)                    # overdue
    request("q2", "Вх-2", T - 5 * D, T - 6 * D)         # answered
    request("q3", "Вх-3", T + 3 * D)                    # soon
    request("q4", "Вх-4", T + 8 * D)                    # outside the week
    request("q5", "Вх-5", T)                            # soon (today)
    request("q6", "Вх-6", None)                         # no deadline

    def agreement(key, number, valid_to, status="active"):
        ids[key] = records.create("agreements", {"number": number, "kind": "agreement", "subject": f"Соглашение {number}",
                                                 "valid_from": T - 700 * D, "valid_to": valid_to,
                                                 "status": status})["id"]

    agreement("a1", "1/С", T + 10 * D)                  # expiring
    agreement("a2", "2/С", T + 30 * D)                  # expiring (the last day of the window)
    agreement("a3", "3/С", T + 31 * D)                  # later
    agreement("a4", "4/С", T + 5 * D, "terminated")     # not in force
    agreement("a5", "5/С", T - 1 * D)                   # already over
    return net
