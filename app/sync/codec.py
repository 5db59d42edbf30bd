"""Records as JSON lines: what travels for each table, and the strict check of what arrives.

A record carries every column of its table except the two that are local
(``change_seq`` — this installation's counter — and ``search_key``, derived
and rebuilt by the receiver). Nothing else is accepted: an unknown or missing
field, a wrong type, an over-long text or a bad UUID refuses the package.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Table, Text

from app.domain.names import without_controls
from app.services.common.fields import NUMBER_LIMIT     # the bound a form gives every number
from app.sync.errors import PackageRefused

LOCAL_COLUMNS = ("change_seq", "search_key")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Every integer column counts something (versions, hours, pupils, bytes) and the databases hold 64 bits.
INTEGER_LIMIT = 2 ** 63
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def payload_columns(table: Table) -> list:
    return [c for c in table.c if c.name not in LOCAL_COLUMNS]


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def encode_rows(table: Table, rows) -> bytes:
    names = [c.name for c in payload_columns(table)]
    lines = [json.dumps({n: to_json(r[n]) for n in names}, ensure_ascii=False, sort_keys=True) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _kind(column) -> str:
    t = column.type
    if isinstance(t, Boolean):
        return "boolean"
    if isinstance(t, Integer):
        return "integer"
    if isinstance(t, Float):
        return "number"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, (String, Text)):
        return "string"
    raise TypeError(f"unsupported column type {t!r} in {column}")


def _converter(column):
    """A function value → Python value for one column (built once per table, called per value)."""
    kind = _kind(column)
    nullable = column.nullable
    length = getattr(column.type, "length", None)
    is_id = column.name == "id"

    def convert(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise ValueError("обязательное значение отсутствует")
            return None
        if kind == "string":
            if type(value) is not str:
                raise ValueError("ожидается строка")
            if length and len(value) > length:
                raise ValueError(f"длина {len(value)} больше допустимой {length}")
            if is_id and not UUID.match(value):
                raise ValueError("ожидается UUID в нижнем регистре")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("в тексте недопустимый символ (одиночный суррогат UTF-16)") from None
            # Dropped as typed input drops them: PostgreSQL refuses NUL, xlsx cannot hold control characters.
            return without_controls(value)
        if kind == "boolean":
            if type(value) is not bool:
                raise ValueError("ожидается true или false")
            return value
        if kind == "integer":
            if type(value) is not int:
                raise ValueError("ожидается целое число")
            if not 0 <= value < INTEGER_LIMIT:
                raise ValueError(f"число {_short(value)} вне допустимого диапазона (0 … 2⁶³−1)")
            return value
        if kind == "number":
            if type(value) not in (int, float) or value != value:
                raise ValueError("ожидается число")
            if not abs(value) <= NUMBER_LIMIT:
                raise ValueError(f"число {_short(value)} вне допустимого диапазона (до {NUMBER_LIMIT:.0e})")
            return float(value)
        if type(value) is not str:
            raise ValueError("ожидается строка")
        if kind == "date":
            try:
                if len(value) != 10:
                    raise ValueError
                when = date.fromisoformat(value)
            except ValueError:
                raise ValueError("ожидается дата ГГГГ-ММ-ДД") from None
        else:
            try:
                when = datetime.fromisoformat(value).replace(tzinfo=None)
            except ValueError:
                raise ValueError("ожидается дата и время ISO 8601") from None
        if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
            raise ValueError(f"год {when.year} вне допустимых {EARLIEST_YEAR}–{LATEST_YEAR}")
        return when

    return convert


def _short(number) -> str:
    text = str(number)
    return text if len(text) <= 24 else text[:20] + "…"


def _refuse_constant(name: str):
    raise ValueError(name)


def decode_part(table: Table, body: bytes, part: str) -> list[dict[str, Any]]:
    """Every line of a part as column → Python value; the first problem refuses the package."""
    columns = {c.name: c for c in payload_columns(table)}
    converters = [(name, _converter(column)) for name, column in columns.items()]
    expected = set(columns)
    out = []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageRefused(f"Файл «{part}» в пакете не в кодировке UTF-8.") from None
    seen: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"«{part}», строка {n}"
        try:
            # NaN and Infinity are not JSON, though Python's reader takes them by default.
            raw = json.loads(line, parse_constant=_refuse_constant)
        except ValueError:
            raise PackageRefused(f"{where}: это не объект JSON.") from None
        except RecursionError:
            raise PackageRefused(f"{where}: слишком глубокая вложенность, это не запись.") from None
        if not isinstance(raw, dict):
            raise PackageRefused(f"{where}: это не объект JSON.")
        if raw.keys() != expected:
            extra = sorted(set(raw) - expected)
            if extra:
                raise PackageRefused(f"{where}: лишнее поле «{extra[0]}».")
            raise PackageRefused(f"{where}: нет поля «{sorted(expected - set(raw))[0]}».")
        record = {}
        name = ""
        try:
            for name, convert in converters:
                record[name] = convert(raw[name])
        except ValueError as exc:
            raise PackageRefused(f"{where}, поле «{name}»: {exc}.") from None
        key = record.get("id")
        if isinstance(key, str):
            if key in seen:
                raise PackageRefused(f"{where}: запись {key} уже была в строке {seen[key]} этого файла.")
            seen[key] = n
        out.append(record)
    return out


_JSON_TYPES = {"boolean": {"type": "boolean"}, "integer": {"type": "integer"}, "number": {"type": "number"},
               "date": {"type": "string", "format": "date"}, "datetime": {"type": "string", "format": "date-time"},
               "string": {"type": "string"}}


def json_schema(table: Table) -> dict:
    """JSON Schema (2020-12) of one line of ``records/<table>.jsonl``."""
    props = {}
    for c in payload_columns(table):
        p = dict(_JSON_TYPES[_kind(c)])
        length = getattr(c.type, "length", None)
        if p["type"] == "string" and length and _kind(c) == "string":
            p["maxLength"] = length
        if c.name == "id":
            p["pattern"] = UUID.pattern
        if c.foreign_keys:
            p["description"] = "→ " + ", ".join(fk.target_fullname for fk in c.foreign_keys)
        props[c.name] = {"anyOf": [p, {"type": "null"}]} if c.nullable else p
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": table.name, "type": "object",
            "additionalProperties": False, "required": sorted(props), "properties": props}
