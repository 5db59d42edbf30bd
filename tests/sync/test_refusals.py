"""Bad packages are refused with a Russian message and leave the database exactly as it was."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from app.sync import envelope, payload
from app.sync.errors import PackageRefused
from app.sync.export import export_delta
from app.sync.identity import load_keys, load_profile, write_keycard
from app.sync.importer import import_package
from app.sync.partners import revoke, trust
from tests.sync.conftest import pair
from tests.sync.helpers import snapshot


def _keys(site):
    with site.db.read() as s:
        return load_keys(load_profile(s))


def _package(mun, tmp_path, name="p1.msp"):
    mun.records.create("organizations", {"full_name": "МБОУ СОШ № 7", "kind": "school"})
    export_delta(mun.db, tmp_path / name)
    return tmp_path / name


def _refused(region, path, match):
    before = snapshot(region.path)
    with pytest.raises(PackageRefused, match=match):
        import_package(region.db, path)
    assert snapshot(region.path) == before


def reseal(mun, region, src, dst, mutate, **header_changes):
    """Opens a real package with the region's key, changes its payload, seals and signs it again as
    the municipality would: a package from a trusted sender whose content is bad."""
    data = src.read_bytes()
    opened = envelope.verify(data, src.name, _keys(mun).public_raw()[0])
    parts = payload.read(envelope.decrypt(opened, _keys(region).encryption), opened.header["parts"],
                         {payload.table_of(p["name"]) for p in opened.header["parts"]})
    header = {**opened.header, **header_changes}
    zip_bytes, parts = mutate(parts)
    if parts is not None:
        header["parts"] = payload.describe(parts, {n: len(b.splitlines()) for n, b in parts.items()})
    keys = _keys(mun)
    block, seal = envelope.encrypt_for(_keys(region).public_raw()[1], header["package_id"])
    header["encryption"] = block
    dst.write_bytes(envelope.seal(header, lambda hb: seal(zip_bytes, hb), keys.signing, keys.fingerprint))
    return dst


def test_one_changed_byte_anywhere_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    data = good.read_bytes()
    for offset in (20, 60, len(data) // 2, len(data) - 80, len(data) - 1):
        bad = tmp_path / f"bad{offset}.msp"
        bad.write_bytes(data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:])
        _refused(region, bad, "изменён или повреждён|неизвестным отправителем|обрезан")
    assert import_package(region.db, good).applied


def test_truncated_and_foreign_files_are_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    data = _package(mun, tmp_path).read_bytes()
    (tmp_path / "cut.msp").write_bytes(data[:-100])
    _refused(region, tmp_path / "cut.msp", "обрезан")
    (tmp_path / "cut2.msp").write_bytes(data[:5])
    _refused(region, tmp_path / "cut2.msp", "обрезан")
    (tmp_path / "note.msp").write_text("это не пакет", encoding="utf-8")
    _refused(region, tmp_path / "note.msp", "не является пакетом")
    (tmp_path / "empty.msp").write_bytes(b"")
    _refused(region, tmp_path / "empty.msp", "не является пакетом")
    # Refused before the backup that precedes a write.
    assert not (tmp_path / "backups").exists()


def test_a_newer_format_version_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    data = bytearray(_package(mun, tmp_path).read_bytes())
    data[8:10] = (envelope.FORMAT_VERSION + 1).to_bytes(2, "big")
    (tmp_path / "new.msp").write_bytes(bytes(data))
    _refused(region, tmp_path / "new.msp", "более новой версией")


@pytest.mark.parametrize("revision, match", [
    ("0012_accounts", "создан более старой версией МетодСети \\(схема базы 0012_accounts, у вас 0018_.*\\)\\. "
                      "Обновите МетодСеть у отправителя «ММЦ Курского района»"),
    ("0099_from_the_future", "создан более новой версией МетодСети \\(схема базы 0099_from_the_future, у вас 0018_"
                             ".*\\)\\. Обновите МетодСеть на этом компьютере"),
    (None, "создан более новой версией МетодСети \\(схема базы не указана"),
])
def test_a_package_from_another_schema_revision_is_refused_saying_who_must_update(mun_and_region, tmp_path,
                                                                                   revision, match):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    other = reseal(mun, region, good, tmp_path / "other.msp", lambda parts: (payload.build(parts), None),
                   schema_revision=revision)
    _refused(region, other, match)
    # Nothing of the refused package counts: the same content at this revision is the next one accepted.
    assert import_package(region.db, good).applied


def test_unknown_and_revoked_senders_are_refused(mun_and_region, sites, tmp_path):
    mun, region = mun_and_region
    stranger = sites("stranger", "municipal", "46-999", "Чужой центр")
    write_keycard(region.db, tmp_path / "region.card")
    trust(stranger.db, tmp_path / "region.card")        # the stranger knows the region, not vice versa
    stranger.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    export_delta(stranger.db, tmp_path / "s.msp")
    _refused(region, tmp_path / "s.msp", "неизвестным отправителем")

    good = _package(mun, tmp_path)
    revoke(region.db, "ММЦ Курского района")
    _refused(region, good, "отозвано")


def test_a_package_for_another_installation_is_refused(mun_and_region, sites, tmp_path):
    mun, region = mun_and_region
    other_region = sites("region2", "region", "47", "Соседний регион")
    pair(mun, other_region, tmp_path)
    mun.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    export_delta(mun.db, tmp_path / "to-other.msp", to="Соседний регион")
    _refused(region, tmp_path / "to-other.msp", "адресован другой установке: «Соседний регион»")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_path_traversal_and_zip_bombs_inside_a_signed_package_are_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    for name in ("../evil.jsonl", "/etc/evil.jsonl", "records/../../x.jsonl", "records/unknown_table.jsonl"):
        bad = reseal(mun, region, good, tmp_path / "trav.msp", lambda parts, n=name: (_zip({n: b"{}\n"}), None))
        _refused(region, bad, "Недопустимое имя")
    bomb = b" " * (48 << 20)
    bad = reseal(mun, region, good, tmp_path / "bomb.msp",
                 lambda parts: (_zip({"records/organization.jsonl": bomb}), None))
    assert bad.stat().st_size < 1 << 20
    _refused(region, bad, "архивную бомбу")
    assert not list(tmp_path.glob("evil*"))


def _edit_record(parts, table, **changes):
    name = payload.part_name(table)
    lines = [json.loads(line) for line in parts[name].decode().splitlines()]
    lines[0].update(changes)
    parts = {**parts, name: ("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n").encode()}
    return payload.build(parts), parts


@pytest.mark.parametrize("changes, match", [
    ({"full_name": None}, "поле «full_name»: обязательное значение отсутствует"),
    ({"kind": 5}, "поле «kind»: ожидается строка"),
    ({"joined_on": "31.12.2020"}, "поле «joined_on»: ожидается дата"),
    ({"id": "1"}, "поле «id»: ожидается UUID"),
    ({"surprise": 1}, "лишнее поле «surprise»"),
    ({"origin": "46-100"}, "принадлежит «46-100»"),
    ({"inn": "1" * 40}, "длина 40 больше допустимой 12"),
])
def test_records_that_fail_validation_refuse_the_whole_package(mun_and_region, tmp_path, changes, match):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    bad = reseal(mun, region, good, tmp_path / "invalid.msp", lambda parts: _edit_record(parts, "organization", **changes))
    _refused(region, bad, match)


def test_a_reference_to_a_record_nowhere_to_be_found_is_refused(mun_and_region, tmp_path):
    mun, region = mun_and_region
    org = mun.records.create("organizations", {"full_name": "Школа", "kind": "school"})
    mun.records.create("teachers", {"last_name": "Сидорова", "first_name": "Ольга", "organization_id": org["id"]})
    export_delta(mun.db, tmp_path / "p.msp")
    missing = "00000000-0000-4000-8000-000000000000"
    bad = reseal(mun, region, tmp_path / "p.msp", tmp_path / "fk.msp",
                 lambda parts: _edit_record(parts, "teacher", organization_id=missing))
    _refused(region, bad, f"ссылается на запись {missing}")


def test_a_unique_value_taken_by_another_owner_refuses_the_package(mun_and_region, tmp_path):
    mun, region = mun_and_region
    region.records.create("municipalities", {"code": "46-231", "name": "Курский район (по данным региона)"})
    mun.records.create("municipalities", {"code": "46-231", "name": "Курский район"})
    export_delta(mun.db, tmp_path / "p.msp")
    _refused(region, tmp_path / "p.msp", "противоречит данным этой базы")
