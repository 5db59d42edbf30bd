"""One record inside a session: found within the account's scope, named, read out as a dict.

The pieces both the service's own reads and every write (``Batch``) use; each takes
the open session, so it joins whichever transaction asked.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.validators import format_date
from app.services.access import record_scope
from app.services.common.errors import NotFound, ServiceError
from app.services.common.fields import REF
from app.services.registry.specs import EntitySpec, spec_for
from app.storage.database import Database

META_FIELDS = ("origin", "created_at", "updated_at", "row_version")


def ref_key(field_name: str) -> str:
    """``organization_id`` → ``organization`` (the key of the referenced record's name)."""
    return field_name[:-3] if field_name.endswith("_id") else field_name + "_name"


def find(db: Database, s: Session, spec: EntitySpec, record_id: str, include_deleted: bool = False):
    """The record, or None when it does not exist, is in the bin or lies outside the account's scope."""
    obj = s.get(spec.model, record_id)
    if obj is None or (obj.deleted_at is not None and not include_deleted):
        return None
    return obj if record_scope.visible(db, s, spec.name, obj) else None


def load(db: Database, s: Session, spec: EntitySpec, record_id: str, include_deleted: bool = False):
    obj = find(db, s, spec, str(record_id), include_deleted)
    if obj is None:
        raise NotFound(f"Не найдена запись ({spec.singular}) с идентификатором {record_id}.")
    return obj


def summary(s: Session, spec: EntitySpec, obj) -> str:
    """The record as a message names it (a teacher's name, «договор от 01.09.2025»)."""
    value = s.scalar(select(spec.display(spec.model)).where(spec.model.id == obj.id))
    if isinstance(value, date):
        return f"{spec.singular} от {format_date(value)}"
    return "" if value is None else str(value)


def refuse_if_foreign(db: Database, s: Session, spec: EntitySpec, obj) -> None:
    """Each record has one owner (SYNC.md): a row received from another installation — the
    region's catalogue at a municipality, a municipality's records at the region — is read-only."""
    own = db.origin(s)
    if obj.origin and own and obj.origin != own:
        raise ServiceError(
            f"Запись «{summary(s, spec, obj)}» получена при обмене (владелец — {obj.origin}) и доступна "
            "только для чтения: исправления вносит её владелец.")


def as_dict(s: Session, spec: EntitySpec, obj) -> dict[str, Any]:
    """Every field, the names of the records it refers to, and the bookkeeping columns."""
    out: dict[str, Any] = {"id": obj.id}
    for f in spec.fields:
        out[f.name] = getattr(obj, f.name)
        if f.kind == REF:
            target_id = out[f.name]
            target = spec_for(f.ref)
            out[ref_key(f.name)] = (
                s.scalar(select(target.display(target.model)).where(target.model.id == target_id))
                if target_id else None)
    for name in META_FIELDS:
        out[name] = getattr(obj, name)
    out["deleted_at"] = obj.deleted_at
    return out
