"""How a record is named in the interface: in a lookup list, a window title, a question.

Rows here are the plain dicts RecordService.list/rows/get return; nothing is read.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from app.domain.names import format_fio
from app.domain.validators import format_date
from app.services.registry.specs import spec_for
from app.services.common.fields import REF, display
from app.services.registry.service import ref_key

# Beyond the name, what tells two similar records apart in a lookup list.
_HINT_COLUMNS = 2


def value_text(value: Any) -> str:
    """A stored value as the user reads it: dates дд.мм.гггг, decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _column_texts(entity: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, text) of the entity's list columns, in list order."""
    spec = spec_for(entity)
    out = []
    for name in spec.list_columns:
        f = spec.field(name)
        value = row.get(ref_key(name)) if f.kind == REF else row.get(name)
        out.append((name, value_text(value) if f.kind == REF else display(f, value) if value is not None else ""))
    return out


def record_label(entity: str, row: dict[str, Any]) -> str:
    """The name of a record: «Иванов Иван Иванович», «МБОУ СШ № 7», a title, a number."""
    if entity == "teachers":
        return format_fio(row.get("last_name"), row.get("first_name"), row.get("middle_name"))
    if entity == "organizations":
        return (row.get("short_name") or row.get("full_name") or "").strip()
    return next((text for _name, text in _column_texts(entity, row) if text), "")


def record_hint(entity: str, row: dict[str, Any]) -> str:
    """A few more facts that tell namesakes apart: organisation and position, kind, dates."""
    if entity == "teachers":
        parts = [row.get("organization") or "", row.get("position") or "", row.get("snils") or ""]
        return " · ".join(p for p in parts if p)
    texts = [text for _name, text in _column_texts(entity, row) if text]
    label = record_label(entity, row)
    if texts and texts[0] == label:
        texts = texts[1:]
    return " · ".join(texts[:_HINT_COLUMNS])
