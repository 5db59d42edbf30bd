"""Probable duplicate teachers: finding them, merging two records field by field, undoing a merge."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.services.access import audit
from app.services import duplicates as D
from app.services.common.actor import Actor
from app.services.common.errors import NotFound, ServiceError
from app.storage.base import Base

ACTOR = Actor("методист")
BUMPED = ("row_version", "change_seq", "updated_at")


# ---------------------------------------------------------------------------- helpers


def _org(records, short, inn):
    return records.create("organizations", {"full_name": f"Муниципальное учреждение {short}", "short_name": short,
                                            "kind": "school", "inn": inn})


@pytest.fixture
def school(records):
    return _org(records, "МБОУ СШ № 7", "7707083893")


@pytest.fixture
def gymnasium(records):
    return _org(records, "МАОУ Гимназия № 2", "7736050003")


def _teacher(records, org, last="Иванова", first="Анна", middle="Петровна", **kw):
    values = {"last_name": last, "first_name": first, "middle_name": middle,
              "organization_id": org["id"] if org else None}
    values.update(kw)
    return records.create("teachers", values)


def _found(db, **kw):
    return {c.teacher_id: c for c in D.find_duplicates(db, **kw)}


def _raw(db, table, row_id):
    t = Base.metadata.tables[table]
    with db.read() as s:
        return dict(s.execute(select(t).where(t.c.id == row_id)).one()._mapping)


def _stable(row):
    return {k: v for k, v in row.items() if k not in BUMPED}


# ---------------------------------------------------------------------------- the name predicate


@pytest.mark.parametrize("a, b, similar", [
    (("Иванова", "Анна", "Петровна"), ("Иванова", "Ана", "Петровна"), True),        # one letter missing
    (("Кузнецова", "Мария", "Сергеевна"), ("Кузнецова", "Марина", "Сергеевна"), True),
    (("Иванова", "Анна", "Петровна"), ("Ивaнова", "Анна", "Петровна"), True),        # latin «a» typed
    (("Петров", "Олег", "Ильич"), ("Петров", "Олег", "Ильичь"), True),
    (("Иванов", "Пётр", "Ильич"), ("Иванов", "Ильич", "Пётр"), True),                # swapped
    (("Иванова-Петрова", "Анна", "Сергеевна"), ("Иванова", "Анна", "Сергеевна"), True),
    (("Петрова-Иванова", "Анна", "Сергеевна"), ("Иванова-Петрова", "Анна", "Сергеевна"), True),
    (("Иванова", "Анна", "Петровна"), ("Иванова", "Анна", ""), True),                # no patronymic
    (("Семёнова", "Алёна", "Петровна"), ("СЕМЕНОВА", "АЛЕНА", "ПЕТРОВНА"), True),
    (("Иванова", "Анна", "Петровна"), ("Иванова", "Алла", "Петровна"), False),       # two letters: sisters
    (("Иванова", "Анна", "Петровна"), ("Иванова", "Анна", "Павловна"), False),
    (("Иванова", "Анна", "Петровна"), ("Смирнова", "Анна", "Петровна"), False),
    (("Иванова", "Анна", "Петровна"), ("Ивановa", "Ана", "Петровна"), False),        # two parts differ
    (("Смирнова", "Ольга", "Ивановна"), ("Смирнова", "Ольга", "Юрьевна"), False),
])
def test_name_similarity_accepts_typos_and_variants_of_one_name_only(a, b, similar):
    score = D.name_similarity(D.name_key(*a), D.name_key(*b))
    assert (score is not None) is similar
    if similar:
        assert 0.8 <= score <= 1.0


# ---------------------------------------------------------------------------- find_duplicates


def test_same_fio_and_birth_date_is_found_in_any_organisation(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985")
    b = _teacher(records, gymnasium, birth_date="12.03.1985")
    found = _found(db, teacher_id=a["id"])
    assert list(found) == [b["id"]]
    c = found[b["id"]]
    assert c.reasons == (D.REASON_SAME,)
    assert c.fio == "Иванова Анна Петровна" and c.organization == "МАОУ Гимназия № 2"
    assert c.birth_date == date(1985, 3, 12) and c.similarity == 1.0
    assert "совпадают ФИО и дата рождения" in c.text
    # And the other way round.
    assert list(_found(db, teacher_id=b["id"])) == [a["id"]]


def test_a_one_letter_typo_in_the_same_organisation_is_found(db, records, school):
    a = _teacher(records, school, birth_date="12.03.1985")
    b = _teacher(records, school, first="Ана")
    found = _found(db, teacher_id=a["id"])
    assert list(found) == [b["id"]]
    assert found[b["id"]].reasons == (D.REASON_SIMILAR,)
    assert 0.9 < found[b["id"]].similarity < 1.0


def test_similar_fio_elsewhere_or_another_birth_date_is_not_a_duplicate(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985")
    _teacher(records, gymnasium, first="Ана", birth_date="12.03.1985")      # similar, other organisation
    _teacher(records, gymnasium, birth_date="13.03.1985")                   # same ФИО, other birth date
    _teacher(records, school, first="Алла", birth_date="01.07.1988")         # a sister in the same school
    _teacher(records, school, birth_date="20.08.1990")                      # a namesake in the same school
    _teacher(records, school, last="Петрова", first="Ольга", middle="Ивановна", birth_date="12.03.1985")
    assert D.find_duplicates(db, teacher_id=a["id"]) == []
    assert D.duplicate_groups(db) == []


def test_yo_and_e_are_the_same_letter(db, records, school, gymnasium):
    a = _teacher(records, school, last="Семёнова", first="Алёна", birth_date="05.05.1990")
    b = _teacher(records, gymnasium, last="Семенова", first="Алена", birth_date="05.05.1990")
    c = _teacher(records, school, last="СЕМЕНОВА", first="алена")
    found = _found(db, teacher_id=a["id"])
    assert set(found) == {b["id"], c["id"]}
    assert found[b["id"]].reasons == (D.REASON_SAME,)
    assert found[c["id"]].reasons == (D.REASON_SIMILAR,) and found[c["id"]].similarity == 1.0


def test_structural_variants_in_the_same_organisation(db, records, school):
    a = _teacher(records, school, last="Иванова-Петрова", first="Анна", middle="Сергеевна")
    double = _teacher(records, school, last="Иванова", first="Анна", middle="Сергеевна")
    swapped = _teacher(records, school, last="Иванова-Петрова", first="Сергеевна", middle="Анна")
    bare = _teacher(records, school, last="Иванова-Петрова", first="Анна", middle="")
    found = _found(db, teacher_id=a["id"])
    assert set(found) == {double["id"], swapped["id"], bare["id"]}
    assert all(c.reasons == (D.REASON_SIMILAR,) for c in found.values())


def test_values_typed_in_a_form_are_checked_before_saving(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985", snils="112-233-445 95")
    # As typed: lower case, a Russian date, СНИЛС without separators.
    found = _found(db, values={"last_name": "иванова", "first_name": "анна", "middle_name": "петровна",
                               "birth_date": "12.03.1985", "organization_id": gymnasium["id"],
                               "snils": "11223344595"})
    assert found[a["id"]].reasons == (D.REASON_SNILS, D.REASON_SAME)
    # A half-typed date or СНИЛС is ignored, not an error.
    found = _found(db, values={"last_name": "Иванова", "first_name": "Ана", "middle_name": "Петровна",
                               "birth_date": "12.03.", "organization_id": school["id"], "snils": "112"})
    assert found[a["id"]].reasons == (D.REASON_SIMILAR,)
    assert D.find_duplicates(db, values={"last_name": "Иванова"}) == []
    assert D.find_duplicates(db, values={}) == []


def test_an_edit_form_checks_the_new_values_and_never_the_record_itself(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985")
    b = _teacher(records, gymnasium, last="Петрова", birth_date="12.03.1985")
    assert D.find_duplicates(db, teacher_id=b["id"]) == []
    found = _found(db, teacher_id=b["id"], values={"last_name": "Иванова"})
    assert list(found) == [a["id"]]
    assert D.find_duplicates(db, teacher_id=a["id"], values={"last_name": "Иванова"}) == []


def test_a_duplicate_snils_arriving_from_elsewhere_is_flagged(db, records, school, gymnasium):
    a = _teacher(records, school, snils="112-233-445 95")
    b = _teacher(records, gymnasium, last="Петрова", first="Ольга")
    # A sync or an import can bring the same СНИЛС in; the form refuses it.
    from app.storage.models import Teacher
    with db.session() as s:
        s.get(Teacher, b["id"]).snils = "112-233-445 95"
    found = _found(db, teacher_id=a["id"])
    assert found[b["id"]].reasons == (D.REASON_SNILS,)
    groups = D.duplicate_groups(db)
    assert [(g.reasons, {m.id for m in g.members}) for g in groups] == [((D.REASON_SNILS,), {a["id"], b["id"]})]


def test_deleted_teachers_are_not_candidates(db, records, school):
    a = _teacher(records, school, birth_date="12.03.1985")
    b = _teacher(records, school, birth_date="12.03.1985")
    records.delete("teachers", b["id"])
    assert D.find_duplicates(db, teacher_id=a["id"]) == []
    assert D.duplicate_groups(db) == []


def test_an_unknown_teacher_is_reported(db):
    with pytest.raises(NotFound, match="Не найдена запись"):
        D.find_duplicates(db, teacher_id="nope")


def test_limit_keeps_the_strongest_candidates(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985", snils="112-233-445 95")
    similar = _teacher(records, school, first="Ана")
    same = _teacher(records, gymnasium, birth_date="12.03.1985")
    result = D.find_duplicates(db, values={"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
                                           "birth_date": "12.03.1985", "organization_id": school["id"],
                                           "snils": "112-233-445 95"})
    assert [c.teacher_id for c in result] == [a["id"], same["id"], similar["id"]]
    assert [c.teacher_id for c in D.find_duplicates(db, teacher_id=a["id"], limit=1)] == [same["id"]]


# ---------------------------------------------------------------------------- duplicate_groups


def test_the_registry_scan_groups_probable_duplicates(db, records, school, gymnasium):
    a = _teacher(records, school, birth_date="12.03.1985")
    b = _teacher(records, gymnasium, birth_date="12.03.1985")
    c = _teacher(records, school, first="Ана")                     # joins a's group through a
    d = _teacher(records, gymnasium, last="Орлов", first="Пётр", middle="Ильич")
    e = _teacher(records, gymnasium, last="Орлов", first="Ильич", middle="Пётр")
    _teacher(records, gymnasium, last="Смирнова", first="Ольга", middle="Ивановна")
    _teacher(records, school, last="Смирнова", first="Ольга", middle="Ивановна")   # other organisation, no date
    groups = D.duplicate_groups(db)
    assert [[m.id for m in g.members] for g in groups] == [[a["id"], b["id"], c["id"]], [d["id"], e["id"]]]
    assert groups[0].reasons == (D.REASON_SAME, D.REASON_SIMILAR)
    assert groups[1].reason == D.REASON_SIMILAR
    assert groups[0].members[1].organization == "МАОУ Гимназия № 2"
    assert len(D.duplicate_groups(db, limit=1)) == 1


# ---------------------------------------------------------------------------- merge: fixtures


@pytest.fixture
def world(db, records, school, gymnasium):
    """Two records of one person with their activity, and the rest of a small network."""
    keep = _teacher(records, school, birth_date="12.03.1985", phone="+79123456789",
                    position="учитель математики", qualification_category="first",
                    last_pd_on="10.02.2022", consent_on="01.09.2023", notes="Руководитель РМО")
    other = _teacher(records, gymnasium, first="Ана", birth_date="12.03.1985", snils="112-233-445 95",
                     email="anna@school2.ru", position="учитель информатики",
                     qualification_category="highest", consent_on="01.09.2021")
    third = _teacher(records, school, last="Орлов", first="Пётр", middle="Ильич", birth_date="01.01.1970")
    event = records.create("events", {"title": "Семинар", "kind": "seminar", "format": "in_person",
                                      "starts_on": "10.10.2024"})
    event2 = records.create("events", {"title": "Вебинар", "kind": "webinar", "format": "remote",
                                       "starts_on": "11.11.2024"})
    community = records.create("communities", {"name": "РМО учителей математики", "kind": "rmo",
                                               "moderator_id": other["id"]})
    material = records.create("materials", {"title": "Рабочая программа", "kind": "guidelines"})
    rows = {
        "p_keep": records.create("participations", {"event_id": event["id"], "teacher_id": keep["id"]}),
        "p_other_same_event": records.create("participations", {
            "event_id": event["id"], "teacher_id": other["id"], "attendance": "present",
            "certificate_number": "С-17", "hours": 4}),
        "p_other": records.create("participations", {"event_id": event2["id"], "teacher_id": other["id"]}),
        "m_keep": records.create("community_members", {"community_id": community["id"], "teacher_id": keep["id"],
                                                       "role": "member", "joined_on": "01.09.2023"}),
        "m_other": records.create("community_members", {"community_id": community["id"],
                                                        "teacher_id": other["id"]}),
        "diag": records.create("diagnostics", {"teacher_id": other["id"], "held_on": "01.03.2024",
                                               "instrument": "Анкета"}),
        "traj": records.create("trajectories", {"teacher_id": other["id"], "period_start": "01.09.2023",
                                                "period_end": "31.05.2025"}),
        "author": records.create("material_authors", {"material_id": material["id"], "teacher_id": other["id"]}),
        "review": records.create("reviews", {"material_id": material["id"], "expert_id": other["id"],
                                             "assigned_on": "01.04.2024"}),
        "mentor": records.create("mentorships", {"mentor_id": third["id"], "mentee_id": other["id"],
                                                 "form": "individual", "starts_on": "01.09.2024"}),
        "self_pair": records.create("mentorships", {"mentor_id": keep["id"], "mentee_id": other["id"],
                                                    "form": "individual", "starts_on": "01.09.2023"}),
        "course": records.create("courses", {"title": "Робототехника", "host_organization_id": gymnasium["id"],
                                             "teacher_id": other["id"], "academic_year": "2024/2025"}),
        "community": community,
    }
    # A completed course in the other record's route: its three-year clock (last_pd_on) is 15.05.2024.
    rows["item"] = records.create("trajectory_items", {
        "trajectory_id": rows["traj"]["id"], "kind": "programme", "formality": "formal", "status": "completed",
        "title": "Цифровая дидактика", "actual_start": "01.05.2024", "actual_end": "15.05.2024", "hours": 72})
    assert records.get("teachers", other["id"])["last_pd_on"] == date(2024, 5, 15)
    records.delete("participations", records.create("participations", {
        "event_id": event2["id"], "teacher_id": other["id"], "role": "speaker"})["id"])
    return {"keep": keep, "other": other, "third": third, "rows": rows}


TABLE_OF = {"p_keep": "participation", "p_other_same_event": "participation", "p_other": "participation",
            "m_keep": "community_member", "m_other": "community_member", "diag": "diagnostic",
            "traj": "trajectory", "author": "material_author", "review": "review", "mentor": "mentorship",
            "self_pair": "mentorship", "course": "network_course", "community": "community",
            "item": "trajectory_item"}


def _snapshot(db, world):
    out = {"keep": _raw(db, "teacher", world["keep"]["id"]), "other": _raw(db, "teacher", world["other"]["id"])}
    for name, row in world["rows"].items():
        out[name] = _raw(db, TABLE_OF[name], row["id"])
    return out


# ---------------------------------------------------------------------------- preview


def test_preview_shows_each_field_with_a_sensible_default(db, world):
    p = D.merge_preview(db, world["keep"]["id"], world["other"]["id"])
    fields = {f.name: f for f in p.fields}
    assert [f.name for f in p.fields][:4] == ["last_name", "first_name", "middle_name", "birth_date"]
    assert fields["first_name"].label == "Имя"
    assert (fields["first_name"].keep_value, fields["first_name"].other_value) == ("Анна", "Ана")
    assert fields["first_name"].default == "keep" and fields["first_name"].differs
    assert fields["birth_date"].keep_value == "12.03.1985" and not fields["birth_date"].differs
    assert fields["snils"].default == "other"                   # only the other has it
    assert fields["email"].default == "other"
    assert fields["phone"].default == "keep"                    # only the survivor has it
    assert fields["position"].default == "keep"                 # both filled: the survivor's
    assert fields["qualification_category"].keep_value == "Первая"
    assert fields["organization_id"].other_value == "МАОУ Гимназия № 2"
    assert fields["last_pd_on"].default == "other"              # the later date wins
    assert fields["consent_on"].default == "keep"
    related = {(r.table, r.column): r.count for r in p.related}
    assert related == {("community", "moderator_id"): 1, ("diagnostic", "teacher_id"): 1,
                       ("material_author", "teacher_id"): 1, ("mentorship", "mentee_id"): 1,
                       ("network_course", "teacher_id"): 1, ("participation", "teacher_id"): 2,
                       ("review", "expert_id"): 1, ("trajectory", "teacher_id"): 2}
    titles = {r.table: r.title for r in p.related}
    assert titles["participation"] == "Участие в мероприятиях"
    assert {(r.table, r.count) for r in p.duplicates} == {("community_member", 1), ("mentorship", 1),
                                                          ("participation", 1)}
    assert p.keep.fio == "Иванова Анна Петровна" and p.other.fio == "Иванова Ана Петровна"
    assert p.defaults()["snils"] == "other"


def test_a_record_cannot_be_merged_with_itself(db, world):
    with pytest.raises(ServiceError, match="с самой собой"):
        D.merge_preview(db, world["keep"]["id"], world["keep"]["id"])
    with pytest.raises(ServiceError, match="с самой собой"):
        D.merge_teachers(db, ACTOR, world["keep"]["id"], world["keep"]["id"], {})


# ---------------------------------------------------------------------------- merge


def test_merge_takes_each_field_from_the_chosen_record(db, records, world):
    keep, other = world["keep"], world["other"]
    D.merge_teachers(db, ACTOR, keep["id"], other["id"],
                     {"first_name": "keep", "snils": "other", "email": "other", "position": "other",
                      "qualification_category": "keep", "organization_id": "other", "phone": "keep",
                      "notes": "other"})
    t = records.get("teachers", keep["id"])
    assert t["first_name"] == "Анна"
    assert t["snils"] == "112-233-445 95"                     # no clash with the absorbed record
    assert t["email"] == "anna@school2.ru"
    assert t["position"] == "учитель информатики"
    assert t["qualification_category"] == "first"
    assert t["organization"] == "МАОУ Гимназия № 2"
    assert t["phone"] == "+79123456789"
    assert t["notes"] == ""                                    # the other's (empty) notes were chosen
    assert t["last_pd_on"] == date(2024, 5, 15)                # default: the later date
    assert t["consent_on"] == date(2023, 9, 1)


def test_the_three_year_clock_follows_the_moved_routes(db, records, world):
    D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {"last_pd_on": "keep"})
    # The survivor's own date was earlier than the course completed in the route that came along.
    assert records.get("teachers", world["keep"]["id"])["last_pd_on"] == date(2024, 5, 15)


def test_a_later_date_of_the_survivor_is_not_cleared_by_the_moved_routes(db, records, world):
    records.update("teachers", world["keep"]["id"], {"last_pd_on": "01.06.2025"})
    D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {})
    assert records.get("teachers", world["keep"]["id"])["last_pd_on"] == date(2025, 6, 1)


def test_merge_moves_every_related_row_to_the_survivor(db, records, world):
    keep, other, rows = world["keep"], world["other"], world["rows"]
    result = D.merge_teachers(db, ACTOR, keep["id"], other["id"], {})
    assert result.moved == {"community": 1, "diagnostic": 1, "material_author": 1, "mentorship": 1,
                            "network_course": 1, "participation": 2, "review": 1, "trajectory": 2}
    assert result.removed == {"community_member": 1, "mentorship": 1, "participation": 1}
    assert _raw(db, "participation", rows["p_other"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "trajectory", rows["traj"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "diagnostic", rows["diag"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "material_author", rows["author"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "review", rows["review"]["id"])["expert_id"] == keep["id"]
    assert _raw(db, "mentorship", rows["mentor"]["id"])["mentee_id"] == keep["id"]
    assert _raw(db, "network_course", rows["course"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "community", rows["community"]["id"])["moderator_id"] == keep["id"]
    # Rows already in the recycle bin follow the person too (so they can be restored).
    with db.read() as s:
        t = Base.metadata.tables["participation"]
        assert s.scalar(select(t.c.teacher_id).where(t.c.role == "speaker")) == keep["id"]
    # Nothing references the absorbed record any more except what was put in the bin with it.
    for table, col in D.teacher_references():
        with db.read() as s:
            live = table.c.deleted_at.is_(None) if "deleted_at" in table.c else True   # accounts have no bin
            left = s.execute(select(table.c.id).where(col == other["id"], live)).all()
        assert left == [], (table.name, col.name)
    # Moved rows carry a new version for sync.
    before = rows["traj"]
    after = _raw(db, "trajectory", before["id"])
    assert after["row_version"] == before["row_version"] + 1 and after["change_seq"] > 0


def test_the_same_membership_or_participation_is_kept_once(db, records, world):
    keep, other, rows = world["keep"], world["other"], world["rows"]
    D.merge_teachers(db, ACTOR, keep["id"], other["id"], {})
    members = records.list("community_members", filters={"community_id": rows["community"]["id"]}).rows
    assert [m["id"] for m in members] == [rows["m_keep"]["id"]]     # the survivor's row says more (joined_on)
    assert _raw(db, "community_member", rows["m_other"]["id"])["deleted_at"] is not None
    # For the event the other record's row says more (attendance, certificate): it stays instead.
    parts = [p for p in records.list("participations").rows if p["event_id"] == rows["p_keep"]["event_id"]]
    assert [p["id"] for p in parts] == [rows["p_other_same_event"]["id"]]
    assert _raw(db, "participation", rows["p_other_same_event"]["id"])["teacher_id"] == keep["id"]
    assert _raw(db, "participation", rows["p_keep"]["id"])["deleted_at"] is not None
    # A mentoring pair of the two records with each other would pair a person with herself.
    assert _raw(db, "mentorship", rows["self_pair"]["id"])["deleted_at"] is not None


def test_the_absorbed_record_leaves_the_lists_but_keeps_its_history(db, records, world):
    keep, other = world["keep"], world["other"]
    result = D.merge_teachers(db, ACTOR, keep["id"], other["id"], {})
    assert other["id"] not in records.ids("teachers")
    assert records.count("teachers", search="Ана") == 0
    tomb = records.get("teachers", other["id"], include_deleted=True)
    assert tomb["deleted_at"] is not None
    assert f"Объединён с записью «Иванова Анна Петровна» (id {keep['id']})" in tomb["notes"]
    with db.read() as s:
        mine = audit.entries(s, entity="teachers", record_id=other["id"])
        theirs = audit.entries(s, entity="teachers", record_id=keep["id"])
    assert [e.action for e in mine] == ["delete", "create"]
    assert mine[0].after["merged_into"] == keep["id"] and mine[0].after["merge_id"] == result.merge_id
    merge = next(e for e in theirs if e.action == "merge")
    assert merge.after["other_id"] == other["id"] and merge.after["keep_id"] == keep["id"]
    assert "Иванова Ана Петровна" in merge.summary
    # The survivor's own history shows the values it took.
    update = next(e for e in theirs if e.action == "update")
    assert update.after["snils"] == "112-233-445 95"
    # Neither record can be merged again while the absorbed one is a tombstone.
    with pytest.raises(NotFound, match="уже объединена"):
        D.merge_teachers(db, ACTOR, keep["id"], other["id"], {})


def test_a_failed_merge_changes_nothing(db, world):
    before = _snapshot(db, world)
    with pytest.raises(ServiceError, match="«Имя»: выберите значение одной из записей"):
        D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {"first_name": "обе"})
    with pytest.raises(ServiceError, match="нет поля «shoe_size»"):
        D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {"shoe_size": "keep"})
    assert _snapshot(db, world) == before
    assert D.merge_log(db) == []


def test_the_survivors_snils_must_stay_unique(db, records, world):
    keep, other, third = world["keep"], world["other"], world["third"]
    # A third record holds the СНИЛС the survivor would take: the update is refused as any edit would be.
    from app.storage.models import Teacher
    with db.session() as s:
        s.get(Teacher, third["id"]).snils = "112-233-445 95"
    with pytest.raises(ServiceError, match="педагог с этим СНИЛС уже есть: Орлов П. И."):
        D.merge_teachers(db, ACTOR, keep["id"], other["id"], {"snils": "other"})
    assert records.get("teachers", other["id"])["deleted_at"] is None


# ---------------------------------------------------------------------------- undo


def test_undo_restores_both_records_and_every_row_exactly(db, records, world):
    before = _snapshot(db, world)
    speaker = records.list("participations", deleted=True).rows[0]["id"]
    speaker_before = _raw(db, "participation", speaker)
    result = D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"],
                              {"snils": "other", "organization_id": "other", "position": "other",
                               "qualification_category": "other", "notes": "other"})
    assert _snapshot(db, world) != before
    D.undo_merge(db, ACTOR, result.merge_id)
    after = _snapshot(db, world)
    assert set(after) == set(before)
    for name in before:
        assert _stable(after[name]) == _stable(before[name]), name
    assert after["other"]["row_version"] > before["other"]["row_version"]
    assert after["traj"]["change_seq"] > before["traj"]["change_seq"]
    assert _stable(_raw(db, "participation", speaker)) == _stable(speaker_before)
    assert records.get("teachers", world["other"]["id"])["first_name"] == "Ана"
    assert world["other"]["id"] in records.ids("teachers")
    with db.read() as s:
        actions = [e.action for e in audit.entries(s, entity="teachers", record_id=world["other"]["id"])]
    assert actions == ["restore", "delete", "create"]


def test_undo_twice_is_refused(db, world):
    result = D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {})
    D.undo_merge(db, Actor("завуч"), result.merge_id)
    with pytest.raises(ServiceError, match=rf"Объединение № {result.merge_id} уже отменено .*завуч"):
        D.undo_merge(db, ACTOR, result.merge_id)
    with pytest.raises(NotFound, match="нет записи № 999999"):
        D.undo_merge(db, ACTOR, 999999)


def test_undo_is_refused_when_the_snils_now_belongs_to_a_third_record(db, records, world):
    keep, other, third = world["keep"], world["other"], world["third"]
    result = D.merge_teachers(db, ACTOR, keep["id"], other["id"], {"snils": "keep"})
    records.update("teachers", third["id"], {"snils": "112-233-445 95"})     # free after the merge
    before_undo = _raw(db, "teacher", keep["id"])
    with pytest.raises(ServiceError, match="СНИЛС 112-233-445 95 .*теперь принадлежит педагогу «Орлов Пётр Ильич»"):
        D.undo_merge(db, ACTOR, result.merge_id)
    assert _raw(db, "teacher", keep["id"]) == before_undo
    assert _raw(db, "teacher", other["id"])["deleted_at"] is not None
    records.update("teachers", third["id"], {"snils": ""})
    D.undo_merge(db, ACTOR, result.merge_id)
    assert records.get("teachers", other["id"])["snils"] == "112-233-445 95"


def test_undo_is_refused_while_the_survivor_is_itself_merged_away(db, records, world):
    keep, other, third = world["keep"], world["other"], world["third"]
    first = D.merge_teachers(db, ACTOR, keep["id"], other["id"], {})
    second = D.merge_teachers(db, ACTOR, third["id"], keep["id"], {})
    with pytest.raises(ServiceError, match="более позднее объединение"):
        D.undo_merge(db, ACTOR, first.merge_id)
    D.undo_merge(db, ACTOR, second.merge_id)
    D.undo_merge(db, ACTOR, first.merge_id)
    assert _raw(db, "trajectory", world["rows"]["traj"]["id"])["teacher_id"] == other["id"]


def test_undo_keeps_what_was_changed_after_the_merge(db, records, world):
    keep, other, rows = world["keep"], world["other"], world["rows"]
    result = D.merge_teachers(db, ACTOR, keep["id"], other["id"], {"position": "other", "email": "other"})
    records.update("teachers", keep["id"], {"position": "заместитель директора"})
    records.update("participations", rows["p_other"]["id"], {"teacher_id": world["third"]["id"]})
    D.undo_merge(db, ACTOR, result.merge_id)
    t = records.get("teachers", keep["id"])
    assert t["position"] == "заместитель директора"             # the newer edit stays
    assert t["email"] is None                                   # the merge's change is undone
    assert _raw(db, "participation", rows["p_other"]["id"])["teacher_id"] == world["third"]["id"]
    assert _raw(db, "trajectory", rows["traj"]["id"])["teacher_id"] == other["id"]


def test_the_merge_log_lists_merges_and_whether_they_were_undone(db, world):
    assert D.merge_log(db) == []
    first = D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {})
    D.undo_merge(db, Actor("завуч"), first.merge_id)
    second = D.merge_teachers(db, ACTOR, world["other"]["id"], world["keep"]["id"], {})
    log = D.merge_log(db)
    assert [e.merge_id for e in log] == [second.merge_id, first.merge_id]
    newest, oldest = log
    assert (newest.keep_name, newest.other_name) == ("Иванова Ана Петровна", "Иванова Анна Петровна")
    assert (newest.keep_id, newest.other_id) == (world["other"]["id"], world["keep"]["id"])
    assert not newest.undone and newest.actor == "методист"
    assert oldest.undone and oldest.undone_by == "завуч" and oldest.undone_at >= oldest.at
    assert oldest.moved["participation"] == 2
    assert D.merge_count(db) == 2
    assert len(D.merge_log(db, limit=1)) == 1


def test_a_merged_away_record_is_not_revived_from_the_bin(db, records, world):
    result = D.merge_teachers(db, ACTOR, world["keep"]["id"], world["other"]["id"], {})
    with pytest.raises(ServiceError, match=f"объединение № {result.merge_id}.*отмените объединение"):
        records.restore("teachers", world["other"]["id"])
    D.undo_merge(db, ACTOR, result.merge_id)
    assert records.get("teachers", world["other"]["id"])["deleted_at"] is None
