"""An arriving package's header checked against the published schema (schema.MANIFEST), once its signature holds.

A signature proves who sent the header, not that its fields are sane: a partner's
damaged or hostile program could sign a sequence of 2⁷⁰ or a date «вчера». Each
field must have the type and the bounds the schema publishes before any of them
is used; the first one that does not refuses the package, naming the field.
"""
from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable

import fastjsonschema

from app.sync.codec import UUID
from app.sync.errors import PackageRefused
from app.sync.schema import MANIFEST

_NAIVE_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _is_moment(text: str) -> bool:
    """The header's own date-time form: UTC without an offset, a real calendar moment of this century."""
    if not _NAIVE_UTC.match(text):
        return False
    try:
        return EARLIEST_YEAR <= datetime.fromisoformat(text).year <= LATEST_YEAR
    except ValueError:
        return False


_FORMATS: dict[str, Callable[[str], bool]] = {"date-time": _is_moment, "uuid": lambda t: bool(UUID.match(t))}

_REASONS = {
    "type": "неверный тип значения", "minimum": "значение вне допустимого диапазона",
    "maximum": "значение вне допустимого диапазона", "maxLength": "слишком длинное значение",
    "minLength": "пустое значение", "pattern": "неверный формат", "format": "неверный формат",
    "enum": "недопустимое значение", "const": "недопустимое значение", "maxItems": "слишком много элементов",
    "additionalProperties": "лишнее поле", "anyOf": "неверное значение", "oneOf": "неверное значение",
}


@lru_cache(maxsize=1)
def _validator() -> Callable[[Any], Any]:
    return fastjsonschema.compile(MANIFEST, formats=_FORMATS)


def check_manifest(header: dict, name: str) -> None:
    """Refuses the package at the first header field the schema does not allow."""
    try:
        _validator()(header)
    except fastjsonschema.JsonSchemaValueException as exc:
        raise PackageRefused(f"Заголовок пакета {name} повреждён: {_describe(exc)}. Пакет не загружен.") from None
    except RecursionError:
        raise PackageRefused(f"Заголовок пакета {name} повреждён: слишком глубокая вложенность.") from None


def _describe(exc: fastjsonschema.JsonSchemaValueException) -> str:
    path = [str(p) for p in (exc.path or [])[1:]]       # the first element is «data», the header itself
    where = ".".join(path)
    if exc.rule == "required" and isinstance(exc.value, dict):
        missing = [k for k in (exc.rule_definition or []) if k not in exc.value]
        field = ".".join(path + missing[:1])
        return f"нет обязательного поля «{field}»"
    reason = _REASONS.get(exc.rule or "", "недопустимое значение")
    if exc.rule == "enum" and isinstance(exc.rule_definition, list):
        reason += f" «{str(exc.value)[:40]}» (допустимы: {', '.join(map(str, exc.rule_definition))})"
    return f"поле «{where}» — {reason}" if where else reason
