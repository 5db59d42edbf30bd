"""The centre's control windows: how far ahead «На контроле», the list filters and the teachers' PD status look.

Kept in ``app_meta`` (one row a window), read once per list query or report,
changed in one audited transaction. ``pd_warn_months`` is the setting the PD
status of a teacher has always used, now shared by the lists and «На контроле».
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.deadlines import DEFAULT_WINDOWS, Windows
from app.services.access import audit, permissions
from app.services.common.actor import Actor
from app.services.common.errors import FieldError, ValidationFailed
from app.storage.database import Database
from app.storage.models import AppMeta


@dataclass(frozen=True)
class WindowSetting:
    name: str           # the field of Windows
    key: str            # the app_meta key
    label: str
    unit: str           # «дней» / «месяцев», for the form
    minimum: int
    maximum: int


SETTINGS = (
    WindowSetting("request_days", "deadline_request_days", "Запросы: срок ответа подходит за", "дней", 1, 90),
    WindowSetting("review_days", "deadline_review_days", "Экспертиза: срок заключения подходит за", "дней", 1, 90),
    WindowSetting("agreement_days", "deadline_agreement_days", "Договоры: истекают в ближайшие", "дней", 1, 365),
    WindowSetting("pd_warn_months", "pd_warn_months", "Повышение квалификации: предупреждать за", "месяцев", 0, 24),
)
_ENTITY = "settings"


PD_WARN = next(w for w in SETTINGS if w.name == "pd_warn_months")


def read_windows(s: Session) -> Windows:
    stmt = select(AppMeta.key, AppMeta.value).where(AppMeta.key.in_([w.key for w in SETTINGS]))
    stored = {key: value for key, value in s.execute(stmt)}
    return replace(DEFAULT_WINDOWS, **{w.name: window_value(w, stored.get(w.key)) for w in SETTINGS})


def window_value(w: WindowSetting, stored: str | None) -> int:
    """The window a stored ``app_meta`` value sets: unset, unreadable or out of bounds — the default."""
    try:
        n = int(stored or "")
    except ValueError:
        return getattr(DEFAULT_WINDOWS, w.name)
    return n if w.minimum <= n <= w.maximum else getattr(DEFAULT_WINDOWS, w.name)


def deadline_windows(db: Database) -> Windows:
    with db.read() as s:
        return read_windows(s)


def save_windows(db: Database, changes: dict[str, Any], actor: Actor | None = None) -> Windows:
    """Validates every value (a whole number within its bounds) and saves them in one transaction."""
    permissions.require(db, permissions.EDIT_RECORDS, "менять сроки контроля")
    by_name = {w.name: w for w in SETTINGS}
    errors, clean = [], {}
    for name, value in changes.items():
        w = by_name.get(name)
        if w is None:
            errors.append(FieldError(name, name, "нет такого срока контроля"))
            continue
        try:
            n = int(str(value).strip())
        except ValueError:
            errors.append(FieldError(name, w.label, f"«{value}» не целое число"))
            continue
        if not w.minimum <= n <= w.maximum:
            errors.append(FieldError(name, w.label, f"допустимо от {w.minimum} до {w.maximum} {w.unit}"))
            continue
        clean[name] = n
    if errors:
        raise ValidationFailed(errors)
    with db.session() as s:
        before = read_windows(s)
        after = replace(before, **clean)
        changed = {f.name: (getattr(before, f.name), getattr(after, f.name)) for f in fields(Windows)
                   if getattr(before, f.name) != getattr(after, f.name)}
        for name in changed:
            key = by_name[name].key
            row = s.get(AppMeta, key)
            if row is None:
                s.add(AppMeta(key=key, value=str(clean[name])))
            else:
                row.value = str(clean[name])
        if changed:
            summary = "; ".join(f"{by_name[n].label} {old} → {new} {by_name[n].unit}" for n, (old, new) in changed.items())
            audit.write(s, actor or Actor.system_user(), "update", _ENTITY, "deadlines",
                        {n: old for n, (old, _) in changed.items()}, {n: new for n, (_, new) in changed.items()},
                        f"Сроки контроля: {summary}")
        return after
