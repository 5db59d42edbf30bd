"""Undoing a merge of two teacher records, and the merge log."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain import names
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.duplicates.merge import (
    MERGE_ACTION, UNMERGE_ACTION, MergeLogEntry, bump_version, TEACHER_FIELDS_MERGED, teacher_value, to_json,
)
from app.services.duplicates.search import ENTITY, in_chunks, full_name_of
from app.services.registry.specs import spec_for
from app.services.common.errors import NotFound, ServiceError
from app.services.common.fields import REF
from app.storage.base import Base, utcnow
from app.storage.database import Database
from app.storage.models import AuditLog, Organization, Teacher


def _merge_entry(s: Session, merge_id: int) -> AuditLog:
    try:
        key = int(merge_id)
    except (TypeError, ValueError):
        key = None
    entry = s.get(AuditLog, key) if key is not None else None
    if entry is None or entry.action != MERGE_ACTION or entry.entity != ENTITY:
        raise NotFound(f"В журнале объединений нет записи № {merge_id}.")
    return entry


def _undo_entries(s: Session, keep_ids: Iterable[str]) -> dict[int, AuditLog]:
    out: dict[int, AuditLog] = {}
    ids = list(set(keep_ids))
    for chunk in in_chunks(ids):
        for e in s.scalars(select(AuditLog).where(AuditLog.action == UNMERGE_ACTION, AuditLog.entity == ENTITY,
                                                  AuditLog.record_id.in_(chunk))):
            merge_id = json.loads(e.after or "{}").get("merge_id")
            if merge_id is not None:
                out.setdefault(int(merge_id), e)
    return out


def _at(e: AuditLog) -> str:
    return e.at.strftime("%d.%m.%Y %H:%M") if e.at else ""


def undo_merge(db: Database, actor: Actor, merge_id: int) -> None:
    """Undoes a merge from its log entry: both records and every moved row as they were.

    A field of the survivor changed again after the merge keeps its newer
    value, and a moved row re-pointed elsewhere since stays where it is; the
    undo is refused when it would break an invariant (already undone, a record
    gone, a СНИЛС now held by a third record, an organisation deleted).
    """
    with db.session() as s:
        entry = _merge_entry(s, merge_id)
        before = json.loads(entry.before or "{}")
        data = json.loads(entry.after or "{}")
        keep_id, other_id = data["keep_id"], data["other_id"]
        done = _undo_entries(s, [keep_id]).get(entry.id)
        if done is not None:
            raise ServiceError(f"Объединение № {entry.id} уже отменено ({_at(done)}, {done.actor}).")
        keep, other = s.get(Teacher, keep_id), s.get(Teacher, other_id)
        keep_name = names.format_fio(*(before["keep"].get(k) for k in ("last_name", "first_name", "middle_name")))
        other_name = names.format_fio(*(before["other"].get(k) for k in ("last_name", "first_name", "middle_name")))
        if keep is None or other is None:
            raise ServiceError(f"Нельзя отменить объединение № {entry.id}: одной из записей больше нет в базе.")
        if keep.deleted_at is not None:
            raise ServiceError(
                f"Нельзя отменить объединение № {entry.id}: запись «{full_name_of(keep)}» удалена или объединена с другой "
                "после этого объединения. Сначала восстановите её (или отмените более позднее объединение).")
        stamp = datetime.fromisoformat(data["stamp"])
        if other.deleted_at is not None and other.deleted_at != stamp:
            raise ServiceError(
                f"Нельзя отменить объединение № {entry.id}: запись «{other_name}» удалена отдельно после "
                "объединения. Сначала восстановите её из корзины.")

        restored: dict[str, Any] = {}
        kept: list[str] = []
        for name, merged in data.get("keep", {}).items():
            current = to_json(getattr(keep, name))
            if current == merged:
                value = teacher_value(name, before["keep"][name])
                setattr(keep, name, value)
                restored[name] = before["keep"][name]
            else:
                kept.append(name)
        other_restored: dict[str, Any] = {}
        if (other.notes or "") == (data["other"].get("notes") or ""):
            other.notes = before["other"].get("notes") or ""
            other_restored["notes"] = other.notes
        was_deleted = other.deleted_at
        other.deleted_at = None
        s.flush()

        now = utcnow()
        seq = db.next_change_seq(s)
        tables = Base.metadata.tables
        moved_back, skipped = 0, 0
        grouped: dict[tuple[str, str], list[str]] = {}
        for table_name, rid, col_name in data.get("moved", []):
            grouped.setdefault((table_name, col_name), []).append(rid)
        for (table_name, col_name), ids in grouped.items():
            table = tables[table_name]
            col = table.c[col_name]
            for chunk in in_chunks(ids):
                n = s.execute(update(table).where(table.c.id.in_(chunk), col == keep_id)
                              .values({col_name: other_id, **bump_version(table, seq, now)})).rowcount
                moved_back += n
                skipped += len(chunk) - n
        revived = 0
        for table_name, rid, _reason in data.get("removed", []):
            table = tables[table_name]
            revived += s.execute(update(table).where(table.c.id == rid, table.c.deleted_at == stamp)
                                 .values(deleted_at=None, **bump_version(table, seq, now))).rowcount

        _check_after_undo(s, entry.id, keep, other)
        summary = f"Отменено объединение № {entry.id}: «{keep_name}» и «{other_name}» снова разные записи"
        audit.write(s, actor, UNMERGE_ACTION, ENTITY, keep.id, data.get("keep", {}),
                    {"merge_id": entry.id, "other_id": other_id, "restored": restored, "kept_newer": kept,
                     "moved_back": moved_back, "left_in_place": skipped, "revived": revived},
                    summary)
        audit.write(s, actor, "restore", ENTITY, other.id,
                    {"deleted_at": was_deleted, "notes": data["other"].get("notes")},
                    {"deleted_at": None, **other_restored, "merge_id": entry.id}, summary)


def _check_after_undo(s: Session, merge_id: int, keep: Teacher, other: Teacher) -> None:
    org_spec = spec_for("organizations")
    for t in (keep, other):
        if t.snils:
            holder = s.scalars(select(Teacher).where(Teacher.snils == t.snils, Teacher.id != t.id,
                                                     Teacher.deleted_at.is_(None)).limit(1)).first()
            if holder is not None:
                raise ServiceError(
                    f"Нельзя отменить объединение № {merge_id}: СНИЛС {t.snils} записи «{full_name_of(t)}» теперь "
                    f"принадлежит педагогу «{full_name_of(holder)}» (id {holder.id}). Исправьте СНИЛС и повторите.")
        for f in TEACHER_FIELDS_MERGED():
            target_id = getattr(t, f.name) if f.kind == REF else None
            if target_id:
                target = s.get(spec_for(f.ref).model, target_id)
                if target is None or target.deleted_at is not None:
                    name = s.scalar(select(org_spec.display(Organization)).where(Organization.id == target_id)) \
                        if f.ref == "organizations" else target_id
                    raise ServiceError(
                        f"Нельзя отменить объединение № {merge_id}: у записи «{full_name_of(t)}» поле «{f.label}» "
                        f"ссылается на удалённую запись «{name}». Сначала восстановите её из корзины.")


# ---------------------------------------------------------------------------- log


def merge_log(db: Database, limit: int = 100) -> list[MergeLogEntry]:
    """The «Журнал объединений»: latest first, with whether each merge was undone."""
    with db.read() as s:
        entries = list(s.scalars(select(AuditLog).where(AuditLog.action == MERGE_ACTION, AuditLog.entity == ENTITY)
                                 .order_by(AuditLog.id.desc()).limit(limit)))
        undone = _undo_entries(s, (e.record_id for e in entries))
        out = []
        for e in entries:
            before = json.loads(e.before or "{}")
            data = json.loads(e.after or "{}")
            fio = {side: names.format_fio(*(before.get(side, {}).get(k)
                                            for k in ("last_name", "first_name", "middle_name")))
                   for side in ("keep", "other")}
            u = undone.get(e.id)
            out.append(MergeLogEntry(e.id, e.at, e.actor, data.get("keep_id", e.record_id), fio["keep"],
                                     data.get("other_id", ""), fio["other"], e.summary,
                                     data.get("counts", {}).get("moved", {}), u is not None,
                                     u.at if u else None, u.actor if u else None))
        return out


def merge_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditLog)
                        .where(AuditLog.action == MERGE_ACTION, AuditLog.entity == ENTITY)) or 0
