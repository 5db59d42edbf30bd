"""A package signed by a trusted partner whose program is faulty or hostile: its header and rows are input.

Every such package is refused with one Russian line naming the field, the file and the line,
and the receiving database stays exactly as it was.
"""
from __future__ import annotations

import json

import pytest

from app.storage.models import Organization, Participation
from app.sync import payload
from app.sync.codec import decode_part, encode_rows
from app.sync.errors import PackageRefused
from app.sync.importer import import_package
from app.sync.row_checks import check_rows
from tests.sync.test_refusals import _package, _refused, reseal

ORG = Organization.__table__


@pytest.mark.parametrize("changes, match", [
    ({"created_at": "вчера"}, "поле «created_at» — неверный формат"),
    ({"created_at": "2026-13-01T10:00:00"}, "поле «created_at» — неверный формат"),
    ({"created_at": 5}, "поле «created_at» — неверный тип значения"),
    ({"sequence": 2 ** 70}, "поле «sequence» — значение вне допустимого диапазона"),
    ({"sequence": True}, "поле «sequence» — неверный тип значения"),
    ({"upto_change_seq": "zz"}, "поле «upto_change_seq» — неверный тип значения"),
    ({"since_change_seq": -1}, "поле «since_change_seq» — значение вне допустимого диапазона"),
    ({"package_id": "x" * 100_000}, "поле «package_id» — неверный формат"),
    ({"kind": ["delta"]}, "поле «kind» — недопустимое значение"),
    ({"personal_data": ["full"]}, "поле «personal_data» — недопустимое значение"),
    ({"previous_sha256": "abc"}, "поле «previous_sha256»"),
    ({"sender": {"name": "ММЦ"}}, "нет обязательного поля «sender.installation_id»"),
])
def test_a_signed_header_with_a_bad_field_is_refused_naming_it(mun_and_region, tmp_path, changes, match):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)

    def unchanged(parts):
        return payload.build(parts), parts

    bad = reseal(mun, region, good, tmp_path / "header.msp", unchanged, **changes)
    _refused(region, bad, f"Заголовок пакета header.msp повреждён: {match}")


@pytest.mark.parametrize("changes, match", [
    ({"row_version": -1}, "поле «row_version»: число -1 вне допустимого диапазона"),
    ({"row_version": 2 ** 64}, "поле «row_version»: число 18446744073709551616 вне допустимого диапазона"),
    ({"address": "\ud800"}, "поле «address»: в тексте недопустимый символ"),
    ({"updated_at": "9999-12-31T23:59:59"}, "поле «updated_at»: год 9999 вне допустимых 1900–2100"),
    ({"deleted_at": "0001-01-01T00:00:00"}, "поле «deleted_at»: год 1 вне допустимых 1900–2100"),
])
def test_rows_out_of_range_or_unencodable_are_refused(mun_and_region, tmp_path, changes, match):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    bad = reseal(mun, region, good, tmp_path / "rows.msp", lambda parts: _edit_ascii(parts, "organization", **changes))
    _refused(region, bad, match)


def _edit_ascii(parts, table, **changes):
    """Like _edit_record, with JSON escapes: a lone surrogate can be written only as «\\ud800»."""
    name = payload.part_name(table)
    lines = [json.loads(line) for line in parts[name].decode().splitlines()]
    lines[0].update(changes)
    parts = {**parts, name: ("\n".join(json.dumps(x) for x in lines) + "\n").encode()}
    return payload.build(parts), parts


def test_the_same_record_twice_in_one_file_is_refused_naming_both_lines(mun_and_region, tmp_path):
    mun, region = mun_and_region
    good = _package(mun, tmp_path)

    def twice(parts):
        name = payload.part_name("organization")
        first = parts[name].decode().splitlines()[0]
        parts = {**parts, name: (first + "\n" + first + "\n").encode()}
        return payload.build(parts), parts

    bad = reseal(mun, region, good, tmp_path / "twice.msp", twice)
    _refused(region, bad, r"«records/organization\.jsonl», строка 2: запись [0-9a-f-]{36} уже была в строке 1")


def _row(table, **values) -> dict:
    """A row of ``table`` as a package carries it: every column, the required ones filled."""
    from sqlalchemy import Boolean, Float, Integer

    row = {}
    for c in table.c:
        if c.name in ("change_seq", "search_key"):
            continue
        t = c.type
        empty = False if isinstance(t, Boolean) else 0 if isinstance(t, (Integer, Float)) else ""
        row[c.name] = None if c.nullable else empty
    row.update(id="11111111-2222-4333-8444-555555555555", row_version=1, origin="46-231",
               created_at="2026-01-01T00:00:00", updated_at="2026-01-01T00:00:00")
    row.update(values)
    return row


def _org_line(**changes) -> bytes:
    row = _row(ORG, **{"full_name": "Школа", "kind": "school", **changes})
    return (json.dumps(row, ensure_ascii=False) + "\n").encode()


def test_the_codec_refuses_what_json_allows_but_a_record_cannot_hold():
    for body, match in [
        (_org_line(row_version=1).replace(b'"row_version": 1', b'"row_version": Infinity'), "это не объект JSON"),
        (b"[" * 200_000 + b"]" * 200_000 + b"\n", "слишком глубокая вложенность"),
    ]:
        with pytest.raises(PackageRefused, match=match):
            decode_part(ORG, body, "records/organization.jsonl")


def test_control_characters_in_received_text_are_dropped_like_typed_ones():
    [row] = decode_part(ORG, _org_line(full_name="Шко\x00ла\x07", address="строка 1\nстрока 2\tи ещё"),
                        "records/organization.jsonl")
    assert (row["full_name"], row["address"]) == ("Школа", "строка 1\nстрока 2\tи ещё")


def test_numbers_get_the_bounds_a_form_gives_them():
    table = Participation.__table__
    row = _row(table, event_id="21111111-2222-4333-8444-555555555555", role="participant", attendance="present",
               teacher_id="31111111-2222-4333-8444-555555555555", hours=-1000)
    body = encode_rows(table, [row])
    decoded = decode_part(table, body, "records/participation.jsonl")
    with pytest.raises(PackageRefused, match="поле «Часы»: значение не может быть меньше 0"):
        check_rows("participation", decoded, "p.msp")
    row["hours"] = 1e300
    with pytest.raises(PackageRefused, match="поле «hours»: число .* вне допустимого диапазона"):
        decode_part(table, encode_rows(table, [row]), "records/participation.jsonl")


def test_ones_own_package_is_recognised_as_such(mun_and_region, tmp_path):
    mun, _region = mun_and_region
    own = _package(mun, tmp_path)
    with pytest.raises(PackageRefused, match="выгружен этой же установкой: его загружают у получателя"):
        import_package(mun.db, own)


def test_an_addressed_package_sent_unencrypted_is_refused(mun_and_region, tmp_path):
    from app.sync import envelope
    from tests.sync.test_refusals import _keys

    mun, region = mun_and_region
    good = _package(mun, tmp_path)
    opened = envelope.verify(good.read_bytes(), good.name, _keys(mun).public_raw()[0])
    parts = payload.read(envelope.decrypt(opened, _keys(region).encryption), opened.header["parts"],
                         {payload.table_of(p["name"]) for p in opened.header["parts"]})
    header = {**opened.header, "encryption": {"scheme": "none"}}
    keys = _keys(mun)
    (tmp_path / "open.msp").write_bytes(envelope.seal(header, payload.build(parts), keys.signing, keys.fingerprint))
    _refused(region, tmp_path / "open.msp", "адресован этой установке, но не зашифрован")


def test_a_long_centre_name_still_travels_but_a_new_one_is_kept_short(mun_and_region, tmp_path):
    from app.sync import envelope
    from app.sync.errors import SyncError
    from app.sync.identity import MAX_NAME, update_installation
    from app.sync.manifest import check_manifest
    from tests.sync.test_refusals import _keys

    mun, _region = mun_and_region
    good = _package(mun, tmp_path)
    header = envelope.verify(good.read_bytes(), good.name, _keys(mun).public_raw()[0]).header
    header["sender"]["name"] = "Я" * 700        # set before names were limited
    check_manifest(header, good.name)
    with pytest.raises(SyncError, match=f"длиннее {MAX_NAME} символов"):
        update_installation(mun.db, name="Я" * 700)
