"""The audit log: who changed what and when, before → after."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.common.actor import Actor
from app.services.common.fields import to_json
from app.storage.models import AuditLog


def _dump(values: dict[str, Any]) -> str:
    return json.dumps({k: to_json(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def write(s: Session, actor: Actor, action: str, entity: str, record_id: str,
          before: dict[str, Any] | None = None, after: dict[str, Any] | None = None, summary: str = "") -> None:
    # The signed-in account is the actor whatever a service passed (app/services/access/permissions.py).
    account = s.info.get("account")
    name = account.login if account is not None else actor.name
    s.add(AuditLog(actor=name, db_user=(s.info.get("db_user") or "")[:63], action=action, entity=entity,
                   record_id=record_id,
                   before=_dump(before or {}), after=_dump(after or {}), summary=summary[:500]))


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    entity: str
    record_id: str
    summary: str
    before: dict
    after: dict


def entries(s: Session, *, entity: str | None = None, record_id: str | None = None,
            limit: int = 1000) -> list[AuditEntry]:
    stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if record_id:
        stmt = stmt.where(AuditLog.record_id == record_id)
    return [AuditEntry(r.at, r.actor, r.action, r.entity, r.record_id, r.summary,
                       json.loads(r.before or "{}"), json.loads(r.after or "{}"))
            for r in s.scalars(stmt)]
