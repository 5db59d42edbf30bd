"""What an individual route's items are made of: the fields, their defaults, the columns' texts, credits."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.domain import enums as E
from app.domain import rules
from app.domain.validators import format_date
from app.domain.wording import plural
from app.ui.common.record_text import value_text
from app.ui.common.related_rows import RelatedKind

ENTITY = "trajectory_items"
OWNER_FIELD = "trajectory_id"
SECTION_TITLE = "Содержание маршрута"
ROUTE_KIND = RelatedKind(SECTION_TITLE, ENTITY, OWNER_FIELD, (), ())
# What an item holds, in the order of its sub-dialog.
ITEM_FIELDS = ("kind", "formality", "title", "programme_id", "event_id", "organization_id", "mentorship_id",
               "status", "planned_start", "planned_end", "actual_start", "actual_end", "hours", "credits",
               "document_number", "document_date", "score")
REF_FIELDS = ("programme_id", "event_id", "organization_id", "mentorship_id")
ITEM_DEFAULTS = {"kind": E.ItemKind.PROGRAMME.value, "formality": E.Formality.FORMAL.value,
                 "status": E.ItemStatus.PLANNED.value}
HEADERS = ("№", "Вид", "Наименование", "Форма образования", "План: сроки", "Факт: сроки", "Часы", "З.е.",
           "Состояние")
# The long headers in two lines: the table has many columns.
HEADER_LINES = {3: "Форма\nобразования", 4: "План:\nсроки", 5: "Факт:\nсроки"}
NUMERIC_COLUMNS = (0, 6, 7)
KIND_COLUMN = 1
TITLE_COLUMN = 2
KIND_WIDTH = 130
# The route form is wider than other forms: the items table has nine columns.
ROUTE_DIALOG_SIZE = (1040, 820)


def period_text(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return ""
    if start is None:
        return f"до {format_date(end)}"
    if end is None or end == start:
        return format_date(start)
    if start.year == end.year:
        # «01.10 – 30.11.2025»: the table has many columns.
        return f"{start:%d.%m} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


def number_text(x: float) -> str:
    return value_text(float(round(x, 2)))


def as_float(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(str(value).replace(",", ".").replace(" ", ""))
    except ValueError:
        return None


def item_credits(values: dict[str, Any], hours_per_credit: int) -> float:
    """The item's credits: as stored, or computed from its hours when none are stored."""
    credits = as_float(values.get("credits"))
    if credits:
        return credits
    hours = as_float(values.get("hours"))
    if hours and hours > 0:
        return rules.credits_from_hours(hours, hours_per_credit)
    return 0.0


def items_word(n: int) -> str:
    return f"{n} {plural(n, 'элемент', 'элемента', 'элементов')}"


@dataclass
class RouteItem:
    """One item as the form holds it; ``id`` is None until it is saved."""
    id: str | None
    values: dict[str, Any]              # stored values (codes, dates, floats); no trajectory_id
    labels: dict[str, str]              # ref field → the name shown
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
