"""A municipality code is bound to the key first trusted for it; package rows obey the form's rules;
the demo never fills a database that exchanges packages."""
from __future__ import annotations

import pytest

from app.services.demo.generator import generate_demo
from app.sync.errors import KeyConflict
from app.sync.export import export_delta
from app.sync.identity import write_keycard
from app.sync.importer import import_package
from app.sync.partners import partners, trust
from tests.sync.helpers import rows, scalar, snapshot
from tests.sync.test_refusals import _edit_record, _refused, reseal

SNILS = "112-233-445 95"


def test_a_second_installation_with_the_same_code_is_refused_naming_both(mun_and_region, sites, tmp_path):
    mun, region = mun_and_region
    impostor = sites("impostor", "municipal", mun.code, "Самозванец")
    write_keycard(impostor.db, tmp_path / "impostor.card")
    before = snapshot(region.path)
    with pytest.raises(KeyConflict) as err:
        trust(region.db, tmp_path / "impostor.card")
    message = str(err.value)
    assert f"Код {mun.code} уже закреплён за установкой «ММЦ Курского района»" in message
    assert "«Самозванец»" in message and "--replace" in message
    assert snapshot(region.path) == before
    # Its package is not accepted either: the region never trusted its key.
    write_keycard(region.db, tmp_path / "region.card")
    trust(impostor.db, tmp_path / "region.card")
    impostor.records.create("organizations", {"full_name": "Подложная школа", "kind": "school"})
    export_delta(impostor.db, tmp_path / "impostor.msp")
    _refused(region, tmp_path / "impostor.msp", "неизвестным отправителем")


def test_new_keys_of_the_same_installation_need_an_explicit_audited_replace(mun_and_region, sites, tmp_path):
    mun, region = mun_and_region
    org = mun.records.create("organizations", {"full_name": "МБОУ СОШ № 3", "kind": "school"})
    export_delta(mun.db, tmp_path / "p1.msp")
    assert import_package(region.db, tmp_path / "p1.msp").applied
    reinstalled = sites("reinstalled", "municipal", mun.code, "ММЦ Курского района (новый ПК)")
    write_keycard(reinstalled.db, tmp_path / "new.card")
    with pytest.raises(KeyConflict):
        trust(region.db, tmp_path / "new.card")
    partner = trust(region.db, tmp_path / "new.card", replace=True)
    assert partner.name == "ММЦ Курского района (новый ПК)"
    live = [p.name for p in partners(region.db, include_revoked=False)]
    assert live == ["ММЦ Курского района (новый ПК)"]
    assert scalar(region.path, "SELECT count(*) FROM audit_log WHERE action = 'sync_key_replace'") == 1
    summary = scalar(region.path, "SELECT summary FROM audit_log WHERE action = 'sync_key_replace'")
    assert "«ММЦ Курского района»" in summary and "(новый ПК)" in summary
    # The old key's packages stop being accepted.
    mun.records.update("organizations", org["id"], {"short_name": "СОШ 3"})
    export_delta(mun.db, tmp_path / "p2.msp")
    _refused(region, tmp_path / "p2.msp", "отозвано")


def test_trusting_the_same_card_twice_changes_nothing(mun_and_region, tmp_path):
    mun, region = mun_and_region
    write_keycard(mun.db, tmp_path / "again.card")
    before = snapshot(region.path)
    assert trust(region.db, tmp_path / "again.card").name == "ММЦ Курского района"
    assert snapshot(region.path) == before


def _teacher_package(mun, tmp_path):
    org = mun.records.create("organizations", {"full_name": "МБОУ СОШ № 1", "kind": "school"})
    mun.records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "organization_id": org["id"],
                                    "snils": SNILS, "email": "ivanova@example.ru"})
    export_delta(mun.db, tmp_path / "good.msp")
    return tmp_path / "good.msp"


@pytest.mark.parametrize("changes, match", [
    ({"snils": "000-000-000 00"}, "таблица «teacher» \\(Педагоги\\), запись .*, поле «СНИЛС»"),
    ({"snils": "112-233-445 96"}, "поле «СНИЛС»: .*контрольн"),
    ({"last_name": "=cmd|' /C calc'!A0"}, "поле «Фамилия»: .*только буквы"),
    ({"first_name": "Анна1"}, "поле «Имя»: .*символ «1»"),
    ({"email": "not an address"}, "поле «.*почт.*»"),
    ({"birth_date": "1812-09-07"}, "вне допустимых 1900–2100"),
])
def test_a_package_row_a_form_would_refuse_refuses_the_whole_package(mun_and_region, tmp_path, changes, match):
    mun, region = mun_and_region
    good = _teacher_package(mun, tmp_path)
    bad = reseal(mun, region, good, tmp_path / "bad.msp", lambda parts: _edit_record(parts, "teacher", **changes))
    _refused(region, bad, match)
    assert import_package(region.db, good).applied
    assert rows(region.path, "SELECT last_name, snils FROM teacher") == [("Иванова", SNILS)]


def _route_and_mentoring_package(mun, tmp_path):
    from datetime import date

    org = mun.records.create("organizations", {"full_name": "МБОУ СОШ № 1", "kind": "school"})
    anna = mun.records.create("teachers", {"last_name": "Иванова", "first_name": "Анна", "organization_id": org["id"],
                                           "birth_date": date(1990, 3, 1)})
    olga = mun.records.create("teachers", {"last_name": "Орлова", "first_name": "Ольга", "organization_id": org["id"]})
    mun.records.create("trajectories", {"teacher_id": anna["id"], "period_start": date(2026, 1, 1),
                                        "period_end": date(2026, 12, 31)})
    mun.records.create("mentorships", {"mentor_id": olga["id"], "mentee_id": anna["id"], "form": "individual",
                                       "starts_on": date(2026, 9, 1)})
    mun.records.create("participations", {
        "event_id": mun.records.create("events", {"title": "Семинар", "kind": "seminar", "format": "in_person",
                                                  "starts_on": date(2026, 11, 2), "status": "held"})["id"],
        "teacher_id": anna["id"], "role": "participant"})
    export_delta(mun.db, tmp_path / "good.msp")
    return tmp_path / "good.msp", anna, olga


@pytest.mark.parametrize("table, changes, match", [
    ("trajectory", {"period_end": "2025-12-31"},
     "таблица «trajectory» \\(.*\\), запись .*, поле «.*»: не может быть раньше, чем «.*»"),
    ("mentorship", {"mentee_id": "MENTOR"}, "таблица «mentorship» .*поле «Наставляемый»: наставник и наставляемый"),
    ("participation", {"teacher_id": None}, "таблица «participation» .*укажите педагога или организацию"),
    ("teacher", {"birth_date": "2020-03-01"}, "поле «Дата рождения»: возраст .* неправдоподобен"),
])
def test_a_package_row_breaking_a_rule_across_its_fields_refuses_the_package(mun_and_region, tmp_path, table,
                                                                             changes, match):
    mun, region = mun_and_region
    good, _, olga = _route_and_mentoring_package(mun, tmp_path)
    changes = {k: olga["id"] if v == "MENTOR" else v for k, v in changes.items()}
    bad = reseal(mun, region, good, tmp_path / "bad.msp", lambda parts: _edit_record(parts, table, **changes))
    _refused(region, bad, match)
    assert import_package(region.db, good).applied
    assert rows(region.path, "SELECT count(*) FROM mentorship") == [(1,)]


def test_demo_keeps_the_sync_identity_of_the_database(mun_and_region):
    mun, _ = mun_and_region
    generate_demo(mun.db, 100, municipality_code="77-001", municipality_name="Демо-город")
    meta = dict(rows(mun.path, "SELECT key, value FROM app_meta WHERE key LIKE 'municipality_%'"))
    assert meta == {"municipality_code": "46-231", "municipality_name": "ММЦ Курского района"}
    assert rows(mun.path, "SELECT DISTINCT origin FROM teacher") == [("46-231",)]
