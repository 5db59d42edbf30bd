"""Counts per entity and what the installation is."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.registry.specs import STATS_KEYS, spec_for
from app.storage.database import Database
from app.storage.models import AppMeta


def stats(db: Database) -> dict[str, int]:
    """Live (not deleted) records per entity, keyed as ``stats --json`` documents."""
    out: dict[str, int] = {}
    with db.read() as s:
        for key, entity in STATS_KEYS.items():
            m = spec_for(entity).model
            out[key] = s.scalar(select(func.count()).select_from(m).where(m.deleted_at.is_(None)))
    return out


def is_empty(db: Database) -> bool:
    """No live record of any kind; asked on every start, so it stops at the first row found."""
    with db.read() as s:
        for entity in STATS_KEYS.values():
            m = spec_for(entity).model
            if s.scalar(select(m.id).where(m.deleted_at.is_(None)).limit(1)) is not None:
                return False
    return True


def settings(db: Database) -> dict[str, str]:
    with db.read() as s:
        return settings_in(s)


def settings_in(s: Session) -> dict[str, str]:
    return {k: v for k, v in s.execute(select(AppMeta.key, AppMeta.value))}


def setting_int(db: Database, key: str, default: int) -> int:
    try:
        return int(settings(db).get(key, default))
    except ValueError:
        return default
