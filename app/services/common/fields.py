"""Field descriptions: how a value of each kind is read from the user and checked.

A field's ``kind`` selects the normaliser; every failure becomes a Russian
message naming the field, so the same rules serve forms, import and CLI.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from app.domain import names, validators
from app.domain.enums import LabeledEnum
from app.domain.validators import ValidationError

TEXT, LONG_TEXT, NAME, DATE, INT, FLOAT, BOOL, ENUM, REF = (
    "text", "long_text", "name", "date", "int", "float", "bool", "enum", "ref",
)
SNILS, INN, OGRN, KPP, EMAIL, PHONE = "snils", "inn", "ogrn", "kpp", "email", "phone"

# No count, hours, credits or score comes near this; a larger number is a typo or damage
# (and an integer beyond 2⁶³ does not fit the database).
NUMBER_LIMIT = 1e12


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = TEXT
    required: bool = False
    enum: type[LabeledEnum] | None = None
    ref: str | None = None          # entity name a REF points to
    max_length: int | None = None
    minimum: float | None = 0
    maximum: float | None = None

    def is_text_like(self) -> bool:
        return self.kind in (TEXT, LONG_TEXT, NAME)


def _as_text(value: Any) -> str:
    return names.collapse_spaces(names.without_controls(str(value))) if value is not None else ""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any, cast: Callable[[Any], Any], f: Field):
    if isinstance(value, bool):
        raise ValidationError("ожидается число")
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace(",", ".")
    try:
        as_float = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"«{value}» не является числом") from None
    if math.isnan(as_float):
        raise ValidationError(f"«{value}» не является числом")
    if not math.isfinite(as_float) or abs(as_float) > NUMBER_LIMIT:
        raise ValidationError(f"«{value}»: слишком большое число")
    if cast is int and as_float != int(as_float):
        raise ValidationError(f"«{value}»: ожидается целое число")
    number = cast(as_float) if cast is int else cast(value)
    if f.minimum is not None and number < f.minimum:
        raise ValidationError(f"значение не может быть меньше {f.minimum:g}")
    if f.maximum is not None and number > f.maximum:
        raise ValidationError(f"значение не может быть больше {f.maximum:g}")
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return validators.parse_date(str(value))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("1", "да", "true", "yes", "+", "истина"):
        return True
    if text in ("0", "нет", "false", "no", "-", "ложь"):
        return False
    raise ValidationError(f"«{value}»: ожидается «да» или «нет»")


def _enum(value: Any, f: Field) -> str:
    try:
        return f.enum.from_label(str(value)).value
    except ValueError:
        allowed = ", ".join(m.label for m in f.enum)
        raise ValidationError(f"«{value}» нет в списке допустимых значений ({allowed})") from None


_SIMPLE: dict[str, Callable[[Any], Any]] = {
    SNILS: lambda v: validators.normalize_snils(str(v)),
    INN: lambda v: validators.normalize_inn(str(v)),
    OGRN: lambda v: validators.normalize_ogrn(str(v)),
    KPP: lambda v: validators.normalize_kpp(str(v)),
    EMAIL: lambda v: validators.normalize_email(str(v)),
    PHONE: lambda v: validators.normalize_phone(str(v)),
    DATE: _date,
    BOOL: _bool,
    NAME: lambda v: names.normalize_name_part(str(v)),
    REF: lambda v: str(v).strip(),
}


def empty_value(f: Field) -> Any:
    return "" if f.is_text_like() else None


def normalize(f: Field, value: Any) -> Any:
    """The stored form of ``value``; raises ValidationError (message without the field name)."""
    if _is_blank(value):
        if f.required:
            raise ValidationError("обязательное поле не заполнено")
        return empty_value(f)
    if f.kind in (TEXT, LONG_TEXT):
        text = names.without_controls(str(value)).strip() if f.kind == LONG_TEXT else _as_text(value)
        if f.max_length and len(text) > f.max_length:
            raise ValidationError(f"не длиннее {f.max_length} символов (сейчас {len(text)})")
        return text
    if f.kind == INT:
        return _number(value, int, f)
    if f.kind == FLOAT:
        return _number(value, float, f)
    if f.kind == ENUM:
        return _enum(value, f)
    return _SIMPLE[f.kind](value)


def display(f: Field, value: Any) -> str:
    """How a stored value reads in a table or a message."""
    if value is None:
        return ""
    if f.kind == DATE and isinstance(value, date):
        return validators.format_date(value)
    if f.kind == ENUM and f.enum is not None:
        return f.enum.label_of(value)
    if f.kind == BOOL:
        return "да" if value else "нет"
    if f.kind == FLOAT and isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def to_json(value: Any) -> Any:
    """JSON-friendly form for the audit log and ``--json`` output."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value
