"""What the report parameters offer to choose from: organisations and municipalities."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.domain.names import search_key
from app.services.development.common import organization_label
from app.storage.database import Database
from app.storage.models import Municipality, Organization


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def organization_choices(db: Database) -> list[Choice]:
    """Live organisations by name (short name, with the INN to tell namesakes apart)."""
    with db.read() as s:
        rows = s.execute(select(Organization.id, organization_label(Organization), Organization.inn)
                         .where(Organization.deleted_at.is_(None))).all()
    out = [Choice(oid, f"{label} (ИНН {inn})" if inn else label) for oid, label, inn in rows]
    out.sort(key=lambda c: (search_key(c.label), c.value))
    return out


def municipality_choices(db: Database) -> list[Choice]:
    """Municipalities known to this base; more than one means region mode (a municipality filter makes sense)."""
    with db.read() as s:
        rows = s.execute(select(Municipality.code, Municipality.name).where(Municipality.deleted_at.is_(None))).all()
    return sorted((Choice(code, f"{name} ({code})" if name else code) for code, name in rows),
                  key=lambda c: search_key(c.label))
