"""Records into the bin and back: what a deletion takes with it, and what refuses it."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.services.common.errors import ServiceError
from app.services.common.fields import REF
from app.services.registry.specs import SPECS, EntitySpec, spec_for
from app.storage.base import utcnow
from app.storage.database import Database


def refuse_if_referenced(s: Session, spec: EntitySpec, record_id: str, summary: Callable[[], str]) -> None:
    """Refuses to delete a record that others point at (its own rows, which go with it, aside)."""
    owned = {(e, fk) for e, fk in spec.owns}
    found = []
    for other in SPECS.values():
        for f in other.fields:
            if f.kind != REF or f.ref != spec.name or (other.name, f.name) in owned:
                continue
            col = getattr(other.model, f.name)
            n = s.scalar(select(func.count()).where(col == record_id, other.model.deleted_at.is_(None)))
            if n:
                found.append(f"{other.title.lower()} ({n})")
    if found:
        raise ServiceError(
            f"Запись «{summary()}» ({spec.singular}) нельзя удалить: "
            f"на неё ссылаются {', '.join(found)}. Сначала удалите или измените их.")


def cascade(db: Database, s: Session, spec: EntitySpec, ids: list[str], *, delete_stamp=None,
            restore_stamp=None) -> int:
    """Deletes (or restores) rows and, recursively, the rows they own.

    Restoring touches only what was deleted in the same action (same
    timestamp), so a child deleted earlier on its own stays in the bin.
    """
    if not ids:
        return 0
    m = spec.model
    condition = m.deleted_at.is_(None) if delete_stamp is not None else m.deleted_at == restore_stamp
    n = s.execute(
        update(m).where(m.id.in_(ids), condition)
        .values(deleted_at=delete_stamp, change_seq=db.next_change_seq(s),
                row_version=m.row_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    for child_name, fk in spec.owns:
        child = spec_for(child_name)
        cm = child.model
        child_condition = cm.deleted_at.is_(None) if delete_stamp is not None else cm.deleted_at == restore_stamp
        child_ids = list(s.scalars(select(cm.id).where(getattr(cm, fk).in_(ids), child_condition)))
        n += cascade(db, s, child, child_ids, delete_stamp=delete_stamp, restore_stamp=restore_stamp)
    return n
