"""Writes that share one transaction, each validated, audited and followed by the features' hooks."""
from __future__ import annotations

from datetime import timezone
from typing import Any, Protocol

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.services.access import audit
from app.services.common.actor import Actor
from app.services.common.errors import ConcurrentEdit
from app.services.registry import pd_status, write_hooks
from app.services.registry.record_access import as_dict, load, refuse_if_foreign, summary
from app.services.registry.record_bin import cascade, refuse_if_referenced
from app.services.registry.record_values import clean_values
from app.services.registry.specs import EntitySpec, spec_for
from app.storage.base import utcnow
from app.storage.database import Database


class Writer(Protocol):
    """Who opened the batch (a RecordService): the database written and the account the log names."""
    db: Database
    actor: Actor


class Batch:
    """Writes that share one transaction; each is validated and audited as a single one is."""

    def __init__(self, service: Writer, session: Session):
        self.service = service
        self.session = session

    def validate(self, entity: str, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        """The normalised values, or ValidationFailed — without writing anything."""
        db, s, spec = self.service.db, self.session, spec_for(entity)
        existing = load(db, s, spec, record_id) if record_id else None
        return clean_values(db, s, spec, values, existing)

    def create(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        db, s, spec = self.service.db, self.session, spec_for(entity)
        clean = clean_values(db, s, spec, values, None)
        obj = spec.model(**clean)
        s.add(obj)
        s.flush()
        pd_status.after_write(s, entity, [obj.id])
        audit.write(s, self.service.actor, "create", entity, obj.id, None, clean, summary(s, spec, obj))
        write_hooks.run(self, entity, [obj.id])
        return as_dict(s, spec, obj)

    def delete(self, entity: str, record_id: str) -> int:
        """Moves a record (and what it owns) to the bin inside this transaction; returns how many rows."""
        obj = load(self.service.db, self.session, spec_for(entity), record_id)
        return self.bin(entity, obj)

    def bin(self, entity: str, obj) -> int:
        """Moves a loaded record (and what it owns) to the bin, after checking nothing else points at it."""
        db, s, spec = self.service.db, self.session, spec_for(entity)
        refuse_if_referenced(s, spec, obj.id, lambda: summary(s, spec, obj))
        stamp = utcnow()
        n = cascade(db, s, spec, [obj.id], delete_stamp=stamp)
        pd_status.after_write(s, entity, [obj.id])
        audit.write(s, self.service.actor, "delete", entity, obj.id, {"deleted_at": None}, {"deleted_at": stamp},
                    summary(s, spec, obj))
        write_hooks.run(self, entity, [obj.id])
        return n

    def update(self, entity: str, record_id: str, changes: dict[str, Any], *,
               expected_version: int | None = None) -> dict[str, Any]:
        db, s, spec = self.service.db, self.session, spec_for(entity)
        obj = load(db, s, spec, record_id)
        if expected_version is not None and obj.row_version != expected_version:
            raise concurrent_edit(self.service, spec, obj.id)
        refuse_if_foreign(db, s, spec, obj)
        clean = clean_values(db, s, spec, changes, obj)
        before = {k: getattr(obj, k) for k in clean if getattr(obj, k) != clean[k]}
        after = {k: clean[k] for k in before}
        for k, v in after.items():
            setattr(obj, k, v)
        if after:
            try:
                s.flush()
            except StaleDataError:
                # Saved by someone else between our read and our write: the UPDATE matched no row.
                raise concurrent_edit(self.service, spec, record_id) from None
            pd_status.after_write(s, entity, [obj.id])
            audit.write(s, self.service.actor, "update", entity, obj.id, before, after, summary(s, spec, obj))
            write_hooks.run(self, entity, [obj.id])
        return as_dict(s, spec, obj)


def concurrent_edit(service: Writer, spec: EntitySpec, record_id: str) -> ConcurrentEdit:
    """The refusal of a save over a newer version, naming who saved it and when (from the audit log).

    Read in a session of its own: after a stale flush the writer's transaction can only be rolled back."""
    with service.db.read() as s:
        obj = s.get(spec.model, record_id)
        current = obj.row_version if obj is not None else 0
        name = summary(s, spec, obj) if obj is not None else record_id
        last = next((e for e in audit.entries(s, entity=spec.name, record_id=record_id, limit=5)
                     if e.action in ("update", "create", "restore", "delete")), None)
    if last is not None:
        at = last.at.replace(tzinfo=timezone.utc).astimezone()      # the log keeps UTC; the user reads local time
        who = f"{last.actor} {at:%d.%m.%Y в %H:%M}"
    else:
        who = "другой пользователь"
    return ConcurrentEdit(
        f"Запись «{name}» уже изменил(а) {who}, пока она была открыта у вас. Ваши изменения не сохранены и "
        "остались в форме: откройте запись в другом окне, чтобы сравнить, или сохраните ещё раз, чтобы записать "
        "свои значения поверх.", int(current or 0))
