"""Create, read, update, delete and list through the services, with Russian messages and audit."""
from __future__ import annotations

from datetime import date

import pytest

from app.services.access import audit
from app.services.registry.specs import SPECS
from app.services.common.errors import NotFound, ServiceError, ValidationFailed


@pytest.fixture
def school(records):
    return records.create("organizations", {
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение средняя школа № 7",
        "short_name": "МБОУ СШ № 7", "kind": "Общеобразовательная организация", "inn": "7707083893"})


def _teacher(records, org, **kw):
    values = {"last_name": "Иванова", "first_name": "Анна", "middle_name": "Петровна",
              "organization_id": org["id"], "birth_date": "12.03.1985"}
    values.update(kw)
    return records.create("teachers", values)


def test_create_normalises_what_the_user_typed(records, school):
    t = _teacher(records, school, last_name="  семёнова ", snils="11223344595", phone="8 (912) 345-67-89",
                 email="Anna@School7.RU", qualification_category="высшая")
    assert t["last_name"] == "Семёнова"
    assert t["snils"] == "112-233-445 95"
    assert t["phone"] == "+79123456789"
    assert t["email"] == "anna@school7.ru"
    assert t["qualification_category"] == "highest"
    assert t["birth_date"] == date(1985, 3, 12)
    assert t["organization"] == "МБОУ СШ № 7"
    assert records.get("teachers", t["id"])["last_name"] == "Семёнова"


def test_invalid_values_are_refused_naming_each_field(records, school):
    with pytest.raises(ValidationFailed) as err:
        _teacher(records, school, snils="112-233-445 96", email="не почта", birth_date="31.02.1990")
    messages = {e.field: str(e) for e in err.value.errors}
    assert "Поле «СНИЛС»" in messages["snils"] and "контрольная сумма" in messages["snils"]
    assert "Поле «Электронная почта»" in messages["email"]
    assert "Поле «Дата рождения»" in messages["birth_date"]
    assert records.count("teachers") == 0


def test_required_fields_and_references_are_checked(records):
    with pytest.raises(ValidationFailed) as err:
        records.create("teachers", {"first_name": "Иван", "organization_id": "nope"})
    text = str(err.value)
    assert "Поле «Фамилия»: обязательное поле не заполнено" in text
    assert "Поле «Организация»: не найдена запись" in text


def test_unknown_enum_value_lists_the_allowed_ones(records):
    with pytest.raises(ValidationFailed, match="Тип организации.*нет в списке"):
        records.create("organizations", {"full_name": "X", "kind": "завод"})


def test_a_duplicate_snils_is_refused_with_the_owner(records, school):
    first = _teacher(records, school, snils="112-233-445 95")
    with pytest.raises(ValidationFailed) as err:
        _teacher(records, school, last_name="Петров", first_name="Олег", snils="112 233 445 95")
    assert err.value.for_field("snils").startswith("педагог с этим СНИЛС уже есть: Иванова А. П.")
    assert first["id"] in err.value.for_field("snils")


def test_date_ranges_must_be_in_order(records):
    with pytest.raises(ValidationFailed, match="«Действует по»: не может быть раньше"):
        records.create("agreements", {"number": "1", "kind": "agreement", "subject": "Сетевое взаимодействие",
                                      "status": "active", "valid_from": "01.09.2025", "valid_to": "01.01.2025"})


def test_update_changes_only_what_is_given_and_is_audited(records, school):
    t = _teacher(records, school)
    updated = records.update("teachers", t["id"], {"position": "учитель математики", "last_name": "Иванова"})
    assert updated["position"] == "учитель математики"
    assert updated["row_version"] == 2
    with records.db.session() as s:
        log = audit.entries(s, entity="teachers", record_id=t["id"])
    assert [e.action for e in log] == ["update", "create"]
    assert log[0].actor == "tester"
    assert log[0].before == {"position": ""}
    assert log[0].after == {"position": "учитель математики"}
    assert log[0].summary == "Иванова Анна Петровна"


def test_update_validates_the_merged_record(records, school):
    t = _teacher(records, school)
    with pytest.raises(ValidationFailed, match="Фамилия"):
        records.update("teachers", t["id"], {"last_name": "  "})
    assert records.get("teachers", t["id"])["last_name"] == "Иванова"


def test_delete_goes_to_the_bin_with_owned_rows_and_restore_brings_them_back(records, school):
    t = _teacher(records, school)
    d = records.create("diagnostics", {"teacher_id": t["id"], "held_on": "01.10.2025", "instrument": "Тест"})
    records.create("diagnostic_results", {"diagnostic_id": d["id"], "competence": "digital", "score": 40,
                                          "is_deficit": "да"})
    assert records.delete("teachers", t["id"]) == 3
    assert records.count("teachers") == 0 and records.count("diagnostic_results") == 0
    assert records.count("teachers", deleted=True) == 1
    with pytest.raises(NotFound):
        records.get("teachers", t["id"])
    assert records.restore("teachers", t["id"]) == 3
    assert records.count("diagnostic_results") == 1
    with records.db.session() as s:
        actions = [e.action for e in audit.entries(s, entity="teachers", record_id=t["id"])]
    assert actions == ["restore", "delete", "create"]


def test_a_referenced_record_cannot_be_deleted(records, school):
    _teacher(records, school)
    with pytest.raises(ServiceError, match="нельзя удалить: на неё ссылаются педагоги \\(1\\)"):
        records.delete("organizations", school["id"])
    assert records.count("organizations") == 1


def test_restore_refuses_while_a_referenced_record_is_deleted(records):
    org = records.create("organizations", {"full_name": "Колледж", "kind": "college"})
    role = records.create("organization_roles", {"organization_id": org["id"], "role": "Ресурсный центр"})
    records.delete("organizations", org["id"])
    with pytest.raises(ServiceError, match="Сначала восстановите"):
        records.restore("organization_roles", role["id"])


def test_search_ignores_case_and_yo(records, school):
    for last in ("Фёдоров", "Федорова", "Иванов"):
        _teacher(records, school, last_name=last)
    found = {r["last_name"] for r in records.list("teachers", search="ФЕДОРОВ").rows}
    assert found == {"Фёдоров", "Федорова"}
    assert {r["last_name"] for r in records.list("teachers", search="фёдоров").rows} == found


def test_search_by_snils_in_any_spelling(records, school):
    _teacher(records, school, snils="112-233-445 95")
    assert len(records.list("teachers", search="11223344595").rows) == 1
    assert len(records.list("teachers", search="112-233-445 95").rows) == 1


def test_search_reaches_through_references(records, school):
    t = _teacher(records, school, last_name="Орлова")
    ev = records.create("events", {"title": "Семинар по функциональной грамотности", "kind": "seminar",
                                   "format": "очно", "starts_on": "10.11.2025"})
    records.create("participations", {"event_id": ev["id"], "teacher_id": t["id"]})
    assert len(records.list("participations", search="орлова").rows) == 1
    assert len(records.list("participations", search="грамотност").rows) == 1
    assert records.list("participations", search="сидоров").rows == []


def test_ids_and_rows_serve_a_lazy_view(records, school):
    for last in ("Борисов", "Алексеев", "Васильев"):
        _teacher(records, school, last_name=last)
    ids = records.ids("teachers")
    rows = records.rows("teachers", ids[:2])
    assert [rows[i]["last_name"] for i in ids[:2]] == ["Алексеев", "Борисов"]
    desc = records.ids("teachers", order="last_name", descending=True)
    assert desc == list(reversed(ids))
    by_org = records.ids("teachers", order="organization")
    assert sorted(by_org) == sorted(ids)


def test_display_row_uses_russian_formats(records, school):
    _teacher(records, school, qualification_category="first")
    row = records.list("teachers").rows[0]
    shown = dict(zip([c.name for c in records.columns("teachers")], records.display_row("teachers", row)))
    assert shown["qualification_category"] == "Первая"
    assert shown["organization"] == "МБОУ СШ № 7"


# What a new database holds from its migrations (0008: the default criteria sheet of экспертиза).
SEEDED = {"criteria_sheets": 1, "review_criteria": 8}


@pytest.mark.parametrize("entity", sorted(SPECS))
def test_every_entity_lists_and_counts(records, entity):
    assert len(records.list(entity).rows) == SEEDED.get(entity, 0)
    assert records.count(entity) == SEEDED.get(entity, 0)
    assert [c.label for c in records.columns(entity)]


def test_unknown_entity_and_field_are_refused(records):
    with pytest.raises(ServiceError, match="Неизвестный вид записей «pupils»"):
        records.list("pupils")
    with pytest.raises(ValidationFailed, match="нет такого поля"):
        records.create("organizations", {"full_name": "X", "kind": "school", "colour": "red"})


def test_request_requires_every_mandatory_field_of_seed_003(records, school):
    with pytest.raises(ValidationFailed) as err:
        records.create("requests", {"number": "15", "direction": "incoming", "sender_id": school["id"],
                                    "addressee_id": school["id"], "subject": "Сведения о наставниках",
                                    "status": "received"})
    fields = {e.field for e in err.value.errors}
    assert {"reply_contact", "sent_on", "prepared_by_name", "prepared_by_position", "prepared_by_phone",
            "prepared_by_email"} <= fields


def test_teacher_rows_carry_the_three_year_rule_and_young_teacher(records, school):
    from app.domain.rules import add_years

    today = date.today()
    long_ago = add_years(today, -4)
    t = _teacher(records, school, last_pd_on=long_ago, birth_date=add_years(today, -30),
                 career_start=add_years(today, -8))
    row = records.rows("teachers", [t["id"]])[t["id"]]
    assert row["pd_due"] == add_years(long_ago, 3)
    assert row["pd_status"] == "просрочено"
    assert row["young"] == "да"
    shown = dict(zip([c.name for c in records.columns("teachers")], records.display_row("teachers", row)))
    assert shown["pd_due"] == add_years(long_ago, 3).strftime("%d.%m.%Y")
    fresh = _teacher(records, school, last_name="Новикова", last_pd_on=today, birth_date="01.01.1970",
                     career_start="01.09.1992")
    row = records.rows("teachers", [fresh["id"]])[fresh["id"]]
    assert row["pd_status"] == "в норме" and row["young"] == ""
    assert records.ids("teachers", order="pd_due") == [t["id"], fresh["id"]]


def test_a_batch_is_all_or_nothing(records, school):
    with pytest.raises(ValidationFailed):
        with records.batch() as b:
            b.create("teachers", {"last_name": "Первый", "first_name": "Иван", "organization_id": school["id"]})
            b.create("teachers", {"last_name": "Второй", "first_name": "Иван", "snils": "000"})
    assert records.count("teachers") == 0
    with records.batch() as b:
        a = b.create("teachers", {"last_name": "Первый", "first_name": "Иван", "snils": "112-233-445 95"})
        # The second row sees the first one inside the same transaction.
        with pytest.raises(ValidationFailed, match="уже есть"):
            b.validate("teachers", {"last_name": "Копия", "first_name": "Ивана", "snils": "11223344595"})
        b.update("teachers", a["id"], {"position": "учитель"})
    assert records.count("teachers") == 1


def test_filters_by_field_rule_and_related_table(records, school):
    from app.domain.rules import add_months, add_years

    today = date.today()
    other = records.create("organizations", {"full_name": "Детский сад № 3", "kind": "kindergarten"})
    records.create("organization_roles", {"organization_id": other["id"], "role": "internship_site"})
    overdue = _teacher(records, school, last_name="Просрочкина", last_pd_on=add_years(today, -4),
                       birth_date="01.01.1970", position="учитель истории", qualification_category="first")
    soon = _teacher(records, school, last_name="Скорова", last_pd_on=add_months(add_years(today, -3), 1),
                    birth_date="01.01.1970")
    young = _teacher(records, other, last_name="Молодова", last_pd_on=today, birth_date=add_years(today, -25),
                     subjects="математика, информатика")
    assert records.ids("teachers", filters={"pd_status": "overdue"}) == [overdue["id"]]
    assert records.ids("teachers", filters={"pd_status": "due_soon"}) == [soon["id"]]
    assert records.rows("teachers", [soon["id"]])[soon["id"]]["pd_status"] == "срок подходит"
    assert records.ids("teachers", filters={"young": "yes"}) == [young["id"]]
    assert records.ids("teachers", filters={"organization_id": other["id"]}) == [young["id"]]
    assert records.ids("teachers", filters={"qualification_category": "Первая"}) == [overdue["id"]]
    assert records.ids("teachers", filters={"subjects": "информатика"}) == [young["id"]]
    assert records.count("teachers", filters={"young": "no", "organization_id": school["id"]}) == 2
    assert records.ids("organizations", filters={"network_role": "internship_site"}) == [other["id"]]
    options = {o.name: o for o in records.filter_options("teachers")}
    assert ("информатика", "информатика") in options["subjects"].choices
    assert options["pd_status"].choices[0] == ("overdue", "просрочено")
    with pytest.raises(ServiceError, match="недопустимое значение"):
        records.ids("teachers", filters={"pd_status": "soon"})


def test_check_field_gives_the_message_a_form_shows_next_to_the_field(records):
    assert records.check_field("teachers", "snils", "112-233-445 95") is None
    assert "контрольная сумма" in records.check_field("teachers", "snils", "112-233-445 96")
    assert records.check_field("teachers", "last_name", "") == "обязательное поле не заполнено"
    assert records.check_field("teachers", "middle_name", "") is None
    assert "ожидается дд.мм.гггг" in records.check_field("teachers", "birth_date", "31.13.2000")
    assert records.check_field("organizations", "inn", "7707083893") is None


def test_numbers_are_finite_and_within_their_field_bounds(records):
    assert records.check_field("programmes", "hours", "72") is None
    assert records.check_field("programmes", "hours", "-40") == "значение не может быть меньше 0"
    assert records.check_field("programmes", "hours", "nan") == "«nan» не является числом"
    for huge in ("inf", "1e30", 10 ** 20):
        assert "слишком большое число" in records.check_field("programmes", "hours", huge)
    assert records.check_field("events", "plan_year", "2026") is None
    assert records.check_field("events", "plan_year", "99999") == "значение не может быть больше 2100"
    assert records.check_field("trajectory_items", "credits", "1,5") is None


def test_completing_a_formal_course_moves_the_three_year_clock(records, school):
    t = _teacher(records, school)
    route = records.create("trajectories", {"teacher_id": t["id"], "period_start": "01.09.2025",
                                            "period_end": "31.05.2026"})
    course = records.create("trajectory_items", {
        "trajectory_id": route["id"], "kind": "programme", "formality": "formal", "title": "КПК «ФОП ООО»",
        "status": "in_progress", "hours": 36})
    assert records.get("teachers", t["id"])["last_pd_on"] is None
    records.update("trajectory_items", course["id"], {"status": "completed", "actual_end": "15.11.2025"})
    assert records.get("teachers", t["id"])["last_pd_on"] == date(2025, 11, 15)
    # Non-formal items and self-education do not count.
    records.create("trajectory_items", {
        "trajectory_id": route["id"], "kind": "event", "formality": "non_formal", "title": "Семинар",
        "status": "completed", "actual_end": "20.12.2025"})
    assert records.get("teachers", t["id"])["last_pd_on"] == date(2025, 11, 15)
    records.delete("trajectories", route["id"])
    assert records.get("teachers", t["id"])["last_pd_on"] is None
    records.restore("trajectories", route["id"])
    assert records.get("teachers", t["id"])["last_pd_on"] == date(2025, 11, 15)


def test_clearing_an_optional_field_with_a_default_restores_the_default(records, school):
    t = _teacher(records, school, qualification_category="highest")
    assert records.update("teachers", t["id"], {"qualification_category": ""})["qualification_category"] == "none"
    ev = records.create("events", {"title": "Семинар", "kind": "seminar", "format": "in_person",
                                   "starts_on": "01.12.2026", "hours": 4})
    assert records.update("events", ev["id"], {"hours": None})["hours"] == 0.0


def test_validate_reports_duplicates_without_writing(records, school):
    _teacher(records, school, snils="112-233-445 95")
    errors = records.validate("teachers", {"last_name": "Петров", "first_name": "Иван", "snils": "11223344595"})
    assert [e.field for e in errors] == ["snils"] and "уже есть" in errors[0].message
    assert records.validate("teachers", {"last_name": "Петров", "first_name": "Иван"}) == []
    assert records.count("teachers") == 1


def test_the_bin_lists_newest_deletions_first(records, school):
    a = _teacher(records, school, last_name="Первая")
    b = _teacher(records, school, last_name="Вторая")
    records.delete("teachers", a["id"])
    records.delete("teachers", b["id"])
    ids = records.ids("teachers", deleted=True, order="deleted_at", descending=True)
    assert ids == [b["id"], a["id"]]
    assert records.rows("teachers", ids)[a["id"]]["deleted_at"] is not None


def test_search_starts_with_the_second_letter(records, school):
    for last in ("Фёдоров", "Андреева"):
        _teacher(records, school, last_name=last)
    assert records.count("teachers", search="ф") == 2  # one letter: the whole list
    assert records.count("teachers", search="фе") == 1
    assert records.count("teachers", search="андреева а") == 1  # the single letter is ignored


def test_first_ids_answers_narrow_searches_whole_and_broad_ones_by_a_first_screen(records, monkeypatch):
    from app.services.registry import service as records_module

    with records.batch() as b:
        for i in range(25):
            b.create("organizations", {"full_name": f"Гимназия № {i:02d}", "short_name": f"Гимназия № {i:02d}",
                                       "kind": "school"})
        b.create("organizations", {"full_name": "Лицей «Ёлочка»", "short_name": "Лицей", "kind": "school"})
    monkeypatch.setattr(records_module, "FULL_ANSWER_MAX", 10)
    everything = records.ids("organizations", search="гимназия")
    first, total = records.first_ids("organizations", limit=4, search="гимназия")
    assert total is None and first == everything[:4] and len(everything) == 25
    narrow, total = records.first_ids("organizations", limit=4, search="елочка")
    assert total == 1 and len(narrow) == 1
    backwards, _ = records.first_ids("organizations", limit=3, search="гимназия", order="short_name",
                                     descending=True)
    assert backwards == records.ids("organizations", search="гимназия", order="short_name", descending=True)[:3]
    assert records.first_ids("organizations", limit=4, search="нет такой") == ([], 0)
