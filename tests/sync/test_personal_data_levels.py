"""How much personal data leaves the municipality: full, pseudonymised (keyed СНИЛС hash) or aggregates only."""
from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date

import pytest

from app.cli import main
from app.sync import envelope
from app.sync.errors import PackageRefused, SyncError
from app.sync.export import export_catalogue, export_delta
from app.sync.identity import load_keys, load_profile
from app.sync.importer import import_package
from app.sync.inbound import open_package
from app.sync.partners import trusted_by_fingerprint
from tests.sync.conftest import pair
from tests.sync.helpers import rows, scalar, snapshot

SNILS = "112-233-445 95"
SNILS_DIGITS = "11223344595"


def _teacher(site, org_id, last="Кузнецова", first="Мария", snils=SNILS, **extra):
    return site.records.create("teachers", {
        "last_name": last, "first_name": first, "middle_name": "Петровна", "snils": snils,
        "email": "kuznetsova@school.ru", "phone": "+79101234567", "birth_date": date(1995, 4, 12),
        "organization_id": org_id, "position": "учитель", "career_start": date(2018, 9, 1), **extra})


def _completed_course(site, teacher_id, end, credits=2.0):
    route = site.records.create("trajectories", {"teacher_id": teacher_id, "period_start": date(end.year, 1, 1),
                                                 "period_end": date(end.year, 12, 31)})
    site.records.create("trajectory_items", {
        "trajectory_id": route["id"], "kind": "programme", "formality": "formal", "title": "Курсы",
        "status": "completed", "actual_end": end, "hours": 72, "credits": credits})


def _decrypted(region, path) -> bytes:
    """The package's plaintext zip as the region decrypts it (signature checked with the trust store's key)."""
    data = envelope.read_file(path)
    with region.db.read() as s:
        sign_key = trusted_by_fingerprint(s, envelope.sender_of(data, path.name)).sign_key
        keys = load_keys(load_profile(s))
    return envelope.decrypt(envelope.verify(data, path.name, bytes.fromhex(sign_key)), keys.encryption)


def _forge(mun, region, real, out, **header_changes):
    """Re-signs a real package's content under another header, as a faulty sender program could."""
    import uuid

    from app.sync.export import seal_package
    from app.sync.partners import find_receiver

    data = envelope.read_file(real)
    with mun.db.read() as s:
        keys = load_keys(load_profile(s))
        receiver = find_receiver(s, None, "region")
        s.expunge(receiver)
    with zipfile.ZipFile(io.BytesIO(_decrypted(region, real))) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    header = {**envelope.verify(data, real.name, keys.signing.public_key().public_bytes_raw()).header,
              "package_id": str(uuid.uuid4()), **header_changes}
    header.pop("encryption")
    out.write_bytes(seal_package(header, parts, keys, receiver))
    return out


def _full_package_labelled_pseudonymised(mun, region, tmp_path):
    """A full package re-signed under a pseudonymised header, as a faulty sender program could."""
    from app.sync.personal_data import key_id as pseudonym_key_id, received_secret

    export_delta(mun.db, tmp_path / "full.msp")
    with mun.db.read() as s:
        secret = received_secret(s)
    return _forge(mun, region, tmp_path / "full.msp", tmp_path / "bad.msp", personal_data="pseudonymised",
                  pseudonym_key_id=pseudonym_key_id(secret))


def _read(region, path):
    with region.db.read() as s:
        profile = load_profile(s)
        return open_package(s, path, profile, load_keys(profile))


def _assert_no_personal(plain: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist()).decode("utf-8")
    for value in ("Кузнецова", "Мария", "Петровна", SNILS, SNILS_DIGITS, "kuznetsova@school.ru", "9101234567",
                  "1995-04-12"):
        assert value not in text


def _key_catalogue(region, mun, tmp_path, name="cat.msp"):
    export_catalogue(region.db, tmp_path / name, mun.code)
    return import_package(mun.db, tmp_path / name)


def test_full_is_the_default_and_is_recorded(mun_and_region, tmp_path):
    mun, region = mun_and_region
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    _teacher(mun, school["id"])
    result = export_delta(mun.db, tmp_path / "p1.msp")
    assert result.personal_data == "full"
    inbound = _read(region, tmp_path / "p1.msp")
    assert inbound.header["personal_data"] == "full"
    assert inbound.records["teacher"][0]["snils"] == SNILS
    import_package(region.db, tmp_path / "p1.msp")
    assert rows(mun.path, "SELECT direction, personal_data FROM sync_package") == [("out", "full")]
    assert rows(region.path, "SELECT direction, personal_data FROM sync_package") == [("in", "full")]
    # The region keeps its keyed hash of the СНИЛС, which pseudonymised packages are matched by.
    assert len(scalar(region.path, "SELECT snils_hash FROM teacher")) == 64


def test_pseudonymised_needs_the_regions_key_which_comes_in_an_addressed_catalogue(mun_and_region, tmp_path):
    mun, region = mun_and_region
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    _teacher(mun, school["id"])
    with pytest.raises(SyncError, match="Нет ключа псевдонимизации"):
        export_delta(mun.db, tmp_path / "p.msp", personal_data="pseudonymised")
    assert not (tmp_path / "p.msp").exists()
    # A catalogue for everyone is not encrypted: it never carries the key.
    export_catalogue(region.db, tmp_path / "all.msp")
    assert not import_package(mun.db, tmp_path / "all.msp").pseudonym_key
    outcome = _key_catalogue(region, mun, tmp_path)
    assert outcome.pseudonym_key
    assert scalar(mun.path, "SELECT count(*) FROM app_meta WHERE key = 'sync_pseudonym_key'") == 1

    export_delta(mun.db, tmp_path / "p1.msp", personal_data="pseudonymised")
    plain = _decrypted(region, tmp_path / "p1.msp")
    _assert_no_personal(plain)
    inbound = _read(region, tmp_path / "p1.msp")
    assert inbound.header["personal_data"] == "pseudonymised"
    teacher = inbound.records["teacher"][0]
    assert (teacher["last_name"], teacher["first_name"], teacher["snils"], teacher["email"], teacher["phone"],
            teacher["birth_date"]) == ("Педагог", "", None, None, None, None)
    assert len(teacher["snils_hash"]) == 64 and teacher["position"] == "учитель"

    import_package(region.db, tmp_path / "p1.msp")
    assert rows(region.path, "SELECT last_name, snils, email FROM teacher") == [("Педагог", None, None)]
    assert rows(region.path, "SELECT personal_data FROM sync_package WHERE direction = 'in' AND kind = 'delta'") \
        == [("pseudonymised",)]
    assert rows(mun.path, "SELECT personal_data FROM sync_package WHERE direction = 'out' AND kind = 'delta'") \
        == [("pseudonymised",)]


def test_pseudonymised_teachers_are_matched_across_municipalities_by_the_hash(sites, tmp_path):
    first = sites("first", "municipal", "46-101", "ММЦ Первого района")
    second = sites("second", "municipal", "46-202", "ММЦ Второго района")
    region = sites("region", "region", "46", "Региональный центр")
    pair(first, region, tmp_path)
    pair(second, region, tmp_path)
    _key_catalogue(region, first, tmp_path, "c1.msp")
    _key_catalogue(region, second, tmp_path, "c2.msp")

    school1 = first.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    old = _teacher(first, school1["id"])
    _completed_course(first, old["id"], date(2021, 5, 20))
    export_delta(first.db, tmp_path / "a1.msp", personal_data="pseudonymised")
    import_package(region.db, tmp_path / "a1.msp")

    school2 = second.records.create("organizations", {"full_name": "Лицей № 2", "kind": "school"})
    new = _teacher(second, school2["id"], position="завуч")
    _completed_course(second, new["id"], date(2024, 6, 10))
    export_delta(second.db, tmp_path / "b1.msp", personal_data="pseudonymised")
    outcome = import_package(region.db, tmp_path / "b1.msp")
    assert outcome.changes["teacher"]["merged"] == 1
    assert rows(region.path, "SELECT id, position FROM teacher WHERE deleted_at IS NULL") == [(old["id"], "завуч")]
    assert scalar(region.path, "SELECT count(*) FROM trajectory WHERE teacher_id = ?", old["id"]) == 2
    assert rows(region.path, "SELECT last_pd_on FROM teacher") == [("2024-06-10",)]

    # A third person with another СНИЛС stays apart; a full package of the first person matches
    # the pseudonymised row too (the region hashes the СНИЛС it receives) and brings the name back.
    other = _teacher(second, school2["id"], last="Орлова", snils="123-456-789 64")
    export_delta(second.db, tmp_path / "b2.msp", personal_data="pseudonymised")
    import_package(region.db, tmp_path / "b2.msp")
    assert scalar(region.path, "SELECT count(*) FROM teacher WHERE deleted_at IS NULL") == 2
    assert other["id"] in {r[0] for r in rows(region.path, "SELECT id FROM teacher")}
    export_delta(first.db, tmp_path / "a2.msp")     # full: a level change starts from everything
    outcome = import_package(region.db, tmp_path / "a2.msp")
    assert rows(region.path, "SELECT last_name, snils FROM teacher WHERE id = ?", old["id"]) == [("Кузнецова", SNILS)]
    assert scalar(region.path, "SELECT count(*) FROM teacher WHERE deleted_at IS NULL") == 2


def test_a_package_declared_pseudonymised_with_a_name_in_it_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _key_catalogue(region, mun, tmp_path)
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    _teacher(mun, school["id"])
    bad = _full_package_labelled_pseudonymised(mun, region, tmp_path)
    before = snapshot(region.path)
    # The region checks the records against the declared level; it does not trust the label.
    with pytest.raises(PackageRefused, match="псевдонимизированным.*last_name"):
        import_package(region.db, bad)
    assert snapshot(region.path) == before


def test_an_aggregates_package_carrying_records_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    _teacher(mun, school["id"])
    export_delta(mun.db, tmp_path / "full.msp")
    bad = _forge(mun, region, tmp_path / "full.msp", tmp_path / "bad.msp", personal_data="aggregates")
    before = snapshot(region.path)
    with pytest.raises(PackageRefused, match="только сводные показатели.*содержит записи"):
        import_package(region.db, bad)
    bad = _forge(mun, region, tmp_path / "full.msp", tmp_path / "bad2.msp", personal_data="everything")
    with pytest.raises(PackageRefused, match="поле «personal_data» — недопустимое значение «everything»"):
        import_package(region.db, bad)
    assert snapshot(region.path) == before


def test_aggregates_carry_no_personal_rows_and_the_region_keeps_the_figures(mun_and_region, tmp_path):
    mun, region = mun_and_region
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "short_name": "Школа 1",
                                                  "kind": "school"})
    young = _teacher(mun, school["id"])
    _completed_course(mun, young["id"], date(2024, 3, 1), credits=2.5)
    _teacher(mun, school["id"], last="Орлова", snils="123-456-789 64", birth_date=date(1960, 1, 1),
             career_start=date(1985, 9, 1))
    result = export_delta(mun.db, tmp_path / "g1.msp", personal_data="aggregates")
    assert result.total == 0 and result.personal_data == "aggregates"
    plain = _decrypted(region, tmp_path / "g1.msp")
    _assert_no_personal(plain)
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        assert zf.namelist() == ["aggregates/organizations.jsonl"]
    inbound = _read(region, tmp_path / "g1.msp")
    assert inbound.records == {} and inbound.header["personal_data"] == "aggregates"
    figures = inbound.aggregates
    assert len(figures) == 1
    f = figures[0]
    assert (f["organization_name"], f["teachers"], f["covered"], f["overdue"], f["young"]) == \
        ("Школа 1", 2, 1, 1, 1)
    assert f["credits_by_year"] == {"2024": 2.5}

    outcome = import_package(region.db, tmp_path / "g1.msp")
    assert outcome.aggregates == 1
    assert scalar(region.path, "SELECT count(*) FROM teacher") == 0
    assert rows(region.path, "SELECT municipality_code, organization_name, teachers, young, credits_by_year "
                             "FROM sync_aggregate") == [("46-231", "Школа 1", 2, 1, '{"2024": 2.5}')]
    assert rows(region.path, "SELECT personal_data FROM sync_package WHERE kind = 'delta'") == [("aggregates",)]
    # The next aggregates package replaces the figures, it does not add to them.
    mun.records.create("teachers", {"last_name": "Новикова", "first_name": "Ольга", "organization_id": school["id"]})
    export_delta(mun.db, tmp_path / "g2.msp", personal_data="aggregates")
    import_package(region.db, tmp_path / "g2.msp")
    assert rows(region.path, "SELECT teachers FROM sync_aggregate") == [(3,)]


def test_the_command_line_chooses_the_level_and_shows_it(tmp_path, _template_db, capsys, monkeypatch):
    mun, reg = tmp_path / "mun.sqlite", tmp_path / "reg.sqlite"
    shutil.copy(_template_db, mun)
    shutil.copy(_template_db, reg)

    def run(db, *argv):
        code = main(["--db", str(db), *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run(mun, "sync", "init", "--role", "municipal", "--municipality", "46-231", "--name", "ММЦ")[0] == 0
    assert run(reg, "sync", "init", "--role", "region", "--municipality", "46", "--name", "Регион")[0] == 0
    run(mun, "sync", "keycard", "--out", str(tmp_path / "mun.card"))
    run(reg, "sync", "keycard", "--out", str(tmp_path / "reg.card"))
    run(mun, "sync", "trust", str(tmp_path / "reg.card"))
    run(reg, "sync", "trust", str(tmp_path / "mun.card"))
    assert run(mun, "demo", "--teachers", "100")[0] == 0
    monkeypatch.setenv("METODSET_USER", "metodist")
    monkeypatch.setenv("METODSET_PASSWORD", "demo")
    with pytest.raises(SystemExit) as usage:
        main(["--db", str(mun), "sync", "export", "--out", str(tmp_path / "p.msp"), "--personal-data", "names"])
    assert usage.value.code == 2
    capsys.readouterr()
    code, _, err = run(mun, "sync", "export", "--out", str(tmp_path / "p.msp"), "--personal-data", "pseudonymised")
    assert code == 1 and "Нет ключа псевдонимизации" in err and not (tmp_path / "p.msp").exists()
    code, _, err = run(reg, "sync", "export", "--catalogue", "--out", str(tmp_path / "c.msp"),
                       "--personal-data", "aggregates")
    assert code == 1 and "Каталог региона не содержит персональных данных" in err
    assert run(reg, "sync", "export", "--catalogue", "--to", "46-231", "--out", str(tmp_path / "c.msp"))[0] == 0
    code, out, _ = run(mun, "sync", "import", str(tmp_path / "c.msp"))
    assert code == 0 and "ключ псевдонимизации" in out
    code, out, _ = run(mun, "sync", "export", "--out", str(tmp_path / "p.msp"), "--personal-data", "pseudonymised")
    assert code == 0 and "псевдонимизированно" in out
    code, out, _ = run(reg, "sync", "import", str(tmp_path / "p.msp"))
    assert code == 0 and "Персональные данные: псевдонимизированно" in out
    assert scalar(reg, "SELECT count(*) FROM teacher WHERE last_name = 'Педагог' AND snils IS NULL") == 100
    for (last_name,) in rows(mun, "SELECT last_name FROM teacher"):
        assert scalar(reg, "SELECT count(*) FROM teacher WHERE search_key LIKE ?", f"%{last_name.lower()}%") == 0
    code, out, _ = run(mun, "sync", "export", "--out", str(tmp_path / "g.msp"), "--personal-data", "aggregates")
    assert code == 0 and "только сводные показатели" in out
    assert run(reg, "sync", "import", str(tmp_path / "g.msp"))[0] == 0
    code, out, _ = run(reg, "sync", "status")
    assert code == 0 and "персональные данные: только сводные показатели" in out and "Сводные показатели" in out
    code, out, _ = run(reg, "sync", "log")
    assert "перс. данные: aggregates" in out and "перс. данные: pseudonymised" in out


def test_a_regions_own_teacher_without_a_hash_still_matches_a_pseudonymised_one(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _key_catalogue(region, mun, tmp_path)
    own = region.records.create("teachers", {"last_name": "Кузнецова", "first_name": "Мария", "snils": SNILS})
    assert scalar(region.path, "SELECT snils_hash FROM teacher") is None
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    _teacher(mun, school["id"])
    export_delta(mun.db, tmp_path / "p1.msp", personal_data="pseudonymised")
    outcome = import_package(region.db, tmp_path / "p1.msp")
    assert outcome.changes["teacher"]["merged"] == 1
    # One person, and the name the region knew is kept.
    assert rows(region.path, "SELECT id, last_name, snils FROM teacher WHERE deleted_at IS NULL") == \
        [(own["id"], "Кузнецова", SNILS)]


def test_a_change_of_level_after_a_receipt_sends_everything_again(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _key_catalogue(region, mun, tmp_path)
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    teacher = _teacher(mun, school["id"])

    def send(name, level):
        result = export_delta(mun.db, tmp_path / f"{name}.msp", personal_data=level)
        import_package(region.db, tmp_path / f"{name}.msp", receipt_out=tmp_path / f"{name}-r.msp")
        import_package(mun.db, tmp_path / f"{name}-r.msp")
        return _read_header(region, tmp_path / f"{name}.msp"), result

    header, _ = send("p1", "pseudonymised")
    assert header["snapshot"] and header["since_change_seq"] == 0
    _, same = send("p2", "pseudonymised")
    assert same.total == 0          # the same level continues from the receipt
    header, full = send("p3", "full")
    assert header["snapshot"] and full.counts["teacher"]["records"] == 1
    assert rows(region.path, "SELECT last_name, snils FROM teacher WHERE id = ?", teacher["id"]) == \
        [("Кузнецова", SNILS)]
    assert rows(mun.path, "SELECT sequence, personal_data, acknowledged_at IS NOT NULL FROM sync_package "
                          "WHERE direction = 'out' AND kind = 'delta' ORDER BY sequence") == \
        [(1, "pseudonymised", 1), (2, "pseudonymised", 1), (3, "full", 1)]


def _read_header(region, path):
    data = envelope.read_file(path)
    with region.db.read() as s:
        sign_key = trusted_by_fingerprint(s, envelope.sender_of(data, path.name)).sign_key
    return envelope.verify(data, path.name, bytes.fromhex(sign_key)).header


def _free_text_about_the_teacher(site, school_id, teacher_id):
    """Records whose free text a methodist fills with a colleague's name and contacts."""
    from app.services.events.certificates import issue_certificates

    mentor = _teacher(site, school_id, last="Смирнова", first="Ольга", snils=None, email=None, phone=None)
    site.records.create("trajectories", {"teacher_id": teacher_id, "period_start": date(2026, 1, 1),
                                         "period_end": date(2026, 12, 31),
                                         "goals": "Кузнецова Мария — подготовить к аттестации"})
    site.records.create("mentorships", {"mentor_id": mentor["id"], "mentee_id": teacher_id, "form": "individual",
                                        "starts_on": date(2026, 9, 1), "goals": "Поддержать Марию Петровну"})
    site.records.create("diagnostics", {"teacher_id": teacher_id, "held_on": date(2026, 10, 15),
                                        "instrument": "Анкета", "notes": "Мария Петровна в декрете до мая"})
    event = site.records.create("events", {"title": "Семинар", "kind": "seminar", "format": "in_person",
                                           "starts_on": date(2026, 11, 2), "status": "held"})
    site.records.create("participations", {"event_id": event["id"], "teacher_id": teacher_id,
                                            "role": "participant", "attendance": "present"})
    assert issue_certificates(site.db, event["id"]).new_count == 1


def _request_with_contacts(site, sender_id, addressee_id):
    site.records.create("requests", {
        "number": "Вх-1", "direction": "incoming", "sender_id": sender_id, "addressee_id": addressee_id,
        "reply_contact": "kuznetsova@school.ru", "prepared_by_name": "Кузнецова М. П.",
        "prepared_by_position": "учитель", "prepared_by_phone": "+79101234567",
        "prepared_by_email": "kuznetsova@school.ru", "subject": "Отчёт", "status": "received",
        "sent_on": date(2026, 11, 1)})


def test_pseudonymised_packages_carry_no_free_text_about_a_person(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _key_catalogue(region, mun, tmp_path)
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    centre = mun.records.create("organizations", {"full_name": "ИМЦ", "kind": "methodical"})
    teacher = _teacher(mun, school["id"])
    _free_text_about_the_teacher(mun, school["id"], teacher["id"])
    _request_with_contacts(mun, school["id"], centre["id"])

    export_delta(mun.db, tmp_path / "p1.msp", personal_data="pseudonymised")
    _assert_no_personal(_decrypted(region, tmp_path / "p1.msp"))
    import_package(region.db, tmp_path / "p1.msp")
    # The region still learns that there is a route, a mentor, a diagnostic, a certificate and a request.
    assert rows(region.path, "SELECT goals FROM trajectory") == [("",)]
    assert rows(region.path, "SELECT goals FROM mentorship") == [("",)]
    assert rows(region.path, "SELECT notes, instrument FROM diagnostic") == [("", "Анкета")]
    assert rows(region.path, "SELECT recipient_name, event_title FROM certificate") == [("Педагог", "Семинар")]
    assert rows(region.path, "SELECT reply_contact, prepared_by_name, prepared_by_phone, subject "
                             "FROM info_request") == [("", "", "", "Отчёт")]


def test_a_pseudonymised_label_on_a_request_with_contacts_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    _key_catalogue(region, mun, tmp_path)
    school = mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    centre = mun.records.create("organizations", {"full_name": "ИМЦ", "kind": "methodical"})
    _request_with_contacts(mun, school["id"], centre["id"])
    bad = _full_package_labelled_pseudonymised(mun, region, tmp_path)
    before = snapshot(region.path)
    with pytest.raises(PackageRefused, match="псевдонимизированным.*info_request.*reply_contact"):
        import_package(region.db, bad)
    assert snapshot(region.path) == before
