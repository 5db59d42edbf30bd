"""Credits (зачётные единицы) left empty are computed from the hours, on every write through the services.

A programme's credits are stored (the column is NOT NULL) and a route item's
credits feed the ledger; a methodist usually knows only the hours. So when a
programme or an item is created or changed with its credits empty, the
service writes ``credits_from_hours(hours, setting «hours_per_credit»)`` —
the same rule the import and the route editor show. Credits typed by the user
always stand.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.validators import ValidationError
from app.services.common.fields import FLOAT, Field, normalize
from app.storage.models import AppMeta

# The entities whose empty credits are computed from their hours.
CREDIT_ENTITIES = ("programmes", "trajectory_items")
_HOURS = Field("hours", "Часы", FLOAT)
_CREDITS = Field("credits", "Зачётные единицы", FLOAT)


def hours_per_credit(s: Session) -> int:
    """The «hours_per_credit» setting read in the caller's transaction (36 when unset or wrong)."""
    raw = s.scalar(select(AppMeta.value).where(AppMeta.key == "hours_per_credit"))
    try:
        n = int(raw)
    except (TypeError, ValueError):
        return rules.HOURS_PER_CREDIT_DEFAULT
    return n if n >= 1 else rules.HOURS_PER_CREDIT_DEFAULT


def _number(field: Field, value: Any) -> float | None:
    try:
        return normalize(field, value)
    except ValidationError:
        return None             # the validation that follows names the bad value


def with_computed_credits(s: Session, entity: str, values: dict[str, Any], existing: Any = None) -> dict[str, Any]:
    """``values`` with credits filled from the hours when they are empty; the input is not changed.

    Credits of 0 count as empty (the ledger reads them so too). Creating:
    credits missing or blank and hours given → computed. Updating:
    credits given blank, or the hours changed while the stored credits are
    empty (0) and no credits are given → computed from the new hours.
    """
    if entity not in CREDIT_ENTITIES:
        return values
    credits_given = "credits" in values
    credits = _number(_CREDITS, values.get("credits")) if credits_given else None
    if credits_given and values.get("credits") not in (None, "") and credits is None:
        return values               # a wrong number: validation reports it
    if credits:
        return values
    if existing is not None and not credits_given:
        if "hours" not in values or (getattr(existing, "credits", 0) or 0):
            return values
    hours = _number(_HOURS, values["hours"]) if "hours" in values else (
        getattr(existing, "hours", None) if existing is not None else None)
    if not hours or hours <= 0:
        return values
    return {**values, "credits": rules.credits_from_hours(hours, hours_per_credit(s))}
