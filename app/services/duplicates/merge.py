"""Merging two teacher records: the preview field by field and the merge in one transaction.

Merging keeps the history of both records: the absorbed record stays as a
tombstone with its own audit entries, every row that referenced it (found
from the foreign keys of the metadata, so future tables are covered) is
re-pointed to the survivor, and one audit entry ``action="merge"`` holds
everything needed to undo it. Undo restores what the merge changed unless
it was changed again since, and refuses when that would break an invariant.
The survivor's last_pd_on follows a later completed course in the routes
that came along (pd_status), and is never cleared by them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import Column, Table, select, update
from sqlalchemy.orm import Session

from app.domain.validators import format_date
from app.services.access import audit
from app.services.registry import pd_status
from app.services.common.actor import Actor
from app.services.duplicates.search import ENTITY, TeacherBrief, teacher_brief, in_chunks, full_name_of, organization_names
from app.services.registry.specs import SPECS, spec_for
from app.services.common.errors import NotFound, ServiceError
from app.services.common.fields import DATE, REF, display
from app.services.registry.service import Batch, RecordService
from app.storage.base import Base, utcnow
from app.storage.database import Database
from app.storage.models import AuditLog, Teacher

KEEP, OTHER = "keep", "other"
# Dates where the later one is the truer one whatever record it comes from.
LATER_WINS = ("last_pd_on", "consent_on")

# Link tables where the same teacher twice in the same place is one fact:
# table → the columns that, with the teacher, identify the link.
DEDUP_KEYS: dict[str, tuple[str, ...]] = {
    "community_member": ("community_id",),
    "participation": ("event_id",),
    "material_author": ("material_id",),
}

MERGE_ACTION = "merge"
UNMERGE_ACTION = "unmerge"
_SYNC_COLUMNS = ("id", "origin", "created_at", "updated_at", "row_version", "change_seq", "deleted_at",
                 "search_key")


@dataclass(frozen=True)
class MergeField:
    name: str
    label: str
    keep_value: str                 # display form («12.03.1985», «Высшая», the organisation's name)
    other_value: str
    default: str                    # "keep" | "other"
    differs: bool


@dataclass(frozen=True)
class RelatedCount:
    table: str
    column: str
    title: str                      # «Участие в мероприятиях»
    label: str                      # «Педагог»
    count: int


@dataclass(frozen=True)
class MergePreview:
    keep: TeacherBrief
    other: TeacherBrief
    fields: list[MergeField]
    # Rows (not in the recycle bin) that will move from the other record to the survivor.
    related: list[RelatedCount]
    # Rows that will go to the recycle bin as repeats (the same community, event, material …).
    duplicates: list[RelatedCount]
    warnings: list[str] = dc_field(default_factory=list)

    def defaults(self) -> dict[str, str]:
        return {f.name: f.default for f in self.fields}


@dataclass(frozen=True)
class MergeResult:
    merge_id: int
    moved: dict[str, int]           # table → rows re-pointed (not counting rows already in the bin)
    removed: dict[str, int] = dc_field(default_factory=dict)   # table → repeats put in the bin


@dataclass(frozen=True)
class MergeLogEntry:
    merge_id: int
    at: datetime
    actor: str
    keep_id: str
    keep_name: str
    other_id: str
    other_name: str
    summary: str
    moved: dict[str, int]
    undone: bool
    undone_at: datetime | None = None
    undone_by: str | None = None


def teacher_references() -> list[tuple[Table, Column]]:
    """Every (table, column) with a foreign key to teacher.id, from the metadata."""
    teacher = Teacher.__table__
    out = []
    for table in Base.metadata.sorted_tables:
        if table is teacher:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is teacher and fk.column.name == "id":
                out.append((table, fk.parent))
    return sorted(out, key=lambda tc: (tc[0].name, tc[1].name))


def _titles(table: Table, column: Column) -> tuple[str, str]:
    for spec in SPECS.values():
        if getattr(spec.model, "__table__", None) is table:
            label = spec.field(column.name).label if spec.has_field(column.name) else column.name
            return spec.title, label
    return table.name, column.name


def _blank(column: Column, value: Any) -> bool:
    if value is None or value == "" or value == 0:
        return True
    default = column.default.arg if column.default is not None and column.default.is_scalar else None
    return default is not None and value == default


def _filled(table: Table, row) -> int:
    """How many own (not bookkeeping, not reference) values a row carries."""
    n = 0
    for col in table.columns:
        if col.name in _SYNC_COLUMNS or col.foreign_keys:
            continue
        if not _blank(col, row._mapping[col.name]):
            n += 1
    return n


@dataclass
class _Plan:
    moves: list[tuple[Table, Column, str, bool]] = dc_field(default_factory=list)   # (table, col, id, live)
    removals: list[tuple[Table, str, str]] = dc_field(default_factory=list)         # (table, id, reason)


def _plan(s: Session, keep_id: str, other_id: str) -> _Plan:
    """Which rows move to the survivor and which become repeats to put in the bin."""
    plan = _Plan()
    removed: set[tuple[str, str]] = set()
    refs = teacher_references()
    teacher_cols: dict[str, list[Column]] = {}
    for table, col in refs:
        teacher_cols.setdefault(table.name, []).append(col)
    for table, col in refs:
        has_deleted = "deleted_at" in table.c
        rows = s.execute(select(table).where(col == other_id)).all()
        siblings = [c for c in teacher_cols[table.name] if c is not col]
        dedup = DEDUP_KEYS.get(table.name)
        # The survivor's live links by their key; a link of the other record that won a tie replaces one.
        keep_rows: dict[tuple, Any] = {}
        if dedup and has_deleted:
            for r in s.execute(select(table).where(col == keep_id, table.c.deleted_at.is_(None))):
                keep_rows.setdefault(tuple(r._mapping[k] for k in dedup), r)
        replaced: set[tuple] = set()
        for r in rows:
            live = not has_deleted or r._mapping["deleted_at"] is None
            rid = r._mapping["id"]
            if (table.name, rid) in removed:
                continue
            if any(r._mapping[c.name] == keep_id for c in siblings):
                # A link between the two records themselves (mentor and mentee) would become a self-link.
                if live and has_deleted:
                    plan.removals.append((table, rid, "связь объединяемых записей друг с другом"))
                    removed.add((table.name, rid))
                continue
            key = tuple(r._mapping[k] for k in dedup) if dedup else ()
            twin = keep_rows.get(key) if dedup and live and key not in replaced else None
            if twin is not None:
                reason = "повтор: " + ", ".join(_titles(table, table.c[k])[1] for k in dedup)
                if _filled(table, r) > _filled(table, twin):
                    # The other record's link says more (attendance, certificate …): it stays instead.
                    plan.moves.append((table, col, rid, live))
                    plan.removals.append((table, twin._mapping["id"], reason))
                    removed.add((table.name, twin._mapping["id"]))
                    replaced.add(key)
                else:
                    plan.removals.append((table, rid, reason))
                    removed.add((table.name, rid))
                continue
            plan.moves.append((table, col, rid, live))
    return plan


def _counts(items: Iterable[tuple[Table, Column | None]]) -> list[RelatedCount]:
    counts: dict[tuple[str, str], int] = {}
    cols: dict[tuple[str, str], tuple[Table, Column | None]] = {}
    for table, col in items:
        key = (table.name, col.name if col is not None else "")
        counts[key] = counts.get(key, 0) + 1
        cols[key] = (table, col)
    out = []
    for key in sorted(counts):
        table, col = cols[key]
        title, label = _titles(table, col) if col is not None else (_titles(table, table.c.id)[0], "")
        out.append(RelatedCount(key[0], key[1], title, label, counts[key]))
    return out


# ---------------------------------------------------------------------------- preview


def _load_pair(s: Session, keep_id: str, other_id: str) -> tuple[Teacher, Teacher]:
    if not keep_id or not other_id:
        raise ServiceError("Укажите две записи педагогов для объединения.")
    if keep_id == other_id:
        raise ServiceError("Нельзя объединить запись педагога с самой собой: выберите две разные записи.")
    pair = []
    for tid in (keep_id, other_id):
        t = s.get(Teacher, tid)
        if t is None or t.deleted_at is not None:
            raise NotFound(f"Не найдена запись (педагог) с идентификатором {tid}: "
                           "возможно, она удалена или уже объединена с другой.")
        pair.append(t)
    return pair[0], pair[1]


def TEACHER_FIELDS_MERGED():
    return spec_for(ENTITY).fields


def _default_choice(name: str, kv: Any, ov: Any) -> str:
    col = Teacher.__table__.c[name]
    if _blank(col, kv) and not _blank(col, ov):
        return OTHER
    if name in LATER_WINS and kv is not None and ov is not None and ov > kv:
        return OTHER
    return KEEP


def _display(s: Session, f, value: Any, orgs: dict[str, str]) -> str:
    if value is None or value == "":
        return ""
    if f.kind == REF:
        return orgs.get(value, str(value))
    return display(f, value)


def merge_preview(db: Database, keep_id: str, other_id: str) -> MergePreview:
    """What merging ``other_id`` into ``keep_id`` would do, field by field, with default choices."""
    with db.read() as s:
        keep, other = _load_pair(s, keep_id, other_id)
        orgs = organization_names(s, (keep.organization_id, other.organization_id))
        fields = []
        for f in TEACHER_FIELDS_MERGED():
            kv, ov = getattr(keep, f.name), getattr(other, f.name)
            fields.append(MergeField(f.name, f.label, _display(s, f, kv, orgs), _display(s, f, ov, orgs),
                                     _default_choice(f.name, kv, ov), kv != ov))
        plan = _plan(s, keep.id, other.id)
        related = _counts((t, c) for t, c, _, live in plan.moves if live)
        removed = _counts((t, None) for t, _, _ in plan.removals)
        warnings = []
        if keep.birth_date and other.birth_date and keep.birth_date != other.birth_date:
            warnings.append("У записей разные даты рождения: убедитесь, что это один человек.")
        if keep.snils and other.snils and keep.snils != other.snils:
            warnings.append("У записей разные СНИЛС: убедитесь, что это один человек.")
        return MergePreview(teacher_brief(keep, orgs), teacher_brief(other, orgs), fields, related, removed, warnings)


# ---------------------------------------------------------------------------- merge


def to_json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=to_json)


def teacher_value(name: str, value: Any) -> Any:
    """A teacher field value read back from the merge log."""
    if value is None:
        return None
    if name == "pd_reported_on" or spec_for(ENTITY).field(name).kind == DATE:
        return date.fromisoformat(value)
    return value


def _snapshot(t: Teacher) -> dict[str, Any]:
    out = {f.name: to_json(getattr(t, f.name)) for f in TEACHER_FIELDS_MERGED()}
    # Not a form field, but written with last_pd_on (pd_status): an undo must restore it too.
    out["pd_reported_on"] = to_json(t.pd_reported_on)
    out["deleted_at"] = to_json(t.deleted_at)
    return out


def _resolve_choices(keep: Teacher, other: Teacher, choices: dict[str, str] | None) -> dict[str, str]:
    known = {f.name: f for f in TEACHER_FIELDS_MERGED()}
    resolved = {name: _default_choice(name, getattr(keep, name), getattr(other, name)) for name in known}
    for name, choice in (choices or {}).items():
        if name not in known:
            raise ServiceError(f"У записи «педагог» нет поля «{name}».")
        if choice not in (KEEP, OTHER):
            raise ServiceError(f"Поле «{known[name].label}»: выберите значение одной из записей "
                               f"(«{KEEP}» или «{OTHER}»), указано «{choice}».")
        resolved[name] = choice
    return resolved


def bump_version(table: Table, seq: int, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "change_seq" in table.c:
        values["change_seq"] = seq
    if "row_version" in table.c:
        values["row_version"] = table.c.row_version + 1
    if "updated_at" in table.c:
        values["updated_at"] = now
    return values


def merge_teachers(db: Database, actor: Actor, keep_id: str, other_id: str,
                   choices: dict[str, str] | None = None) -> MergeResult:
    """Merges the record ``other_id`` into ``keep_id`` in one transaction.

    ``choices`` maps a field to "keep" or "other"; fields not given take the
    preview's default. The other record goes to the recycle bin (a tombstone
    with a note), everything that referenced it now references the survivor.
    """
    with db.session() as s:
        keep, other = _load_pair(s, keep_id, other_id)
        resolved = _resolve_choices(keep, other, choices)
        before = {"keep": _snapshot(keep), "other": _snapshot(other)}
        changes = {name: getattr(other, name) for name, c in resolved.items()
                   if c == OTHER and getattr(other, name) != getattr(keep, name)}
        keep_fio, other_fio = full_name_of(keep), full_name_of(other)
        plan = _plan(s, keep.id, other.id)
        stamp = utcnow()

        # The absorbed record first, so that its СНИЛС is free for the survivor.
        old_notes = other.notes or ""
        note = (f"Объединён с записью «{keep_fio}» (id {keep.id}) {format_date(stamp.date())}; "
                "отменить можно в журнале объединений.")
        other.notes = (old_notes + "\n" + note).strip() if old_notes else note
        other.deleted_at = stamp
        s.flush()

        batch = Batch(RecordService(db, actor), s)
        if changes:
            batch.update(ENTITY, keep.id, changes)

        seq = db.next_change_seq(s)
        moved: dict[str, int] = {}
        by_column: dict[tuple[str, str], tuple[Table, Column, list[str]]] = {}
        for table, col, rid, live in plan.moves:
            by_column.setdefault((table.name, col.name), (table, col, []))[2].append(rid)
            if live:
                moved[table.name] = moved.get(table.name, 0) + 1
        for table, col, ids in by_column.values():
            for chunk in in_chunks(ids):
                s.execute(update(table).where(table.c.id.in_(chunk), col == other.id)
                          .values({col.name: keep.id, **bump_version(table, seq, stamp)}))
        removed: dict[str, int] = {}
        for table, rid, _reason in plan.removals:
            s.execute(update(table).where(table.c.id == rid, table.c.deleted_at.is_(None))
                      .values(deleted_at=stamp, **bump_version(table, seq, stamp)))
            removed[table.name] = removed.get(table.name, 0) + 1
        # The routes that came along may hold a later completed course: the three-year clock
        # follows it (pd_status), but a date the survivor already had is never cleared.
        derived = pd_status.last_completed_course(s, [keep.id]).get(keep.id)
        if derived is not None and (keep.last_pd_on is None or derived > keep.last_pd_on):
            keep.last_pd_on = derived
        s.flush()
        keep_after = {name: value for name, value in _snapshot(keep).items()
                      if name != "deleted_at" and value != before["keep"][name]}

        after = {
            "keep_id": keep.id, "other_id": other.id, "stamp": stamp.isoformat(),
            "choices": resolved, "keep": keep_after,
            "other": {"deleted_at": stamp.isoformat(), "notes": other.notes},
            "moved": [[t.name, rid, c.name] for t, c, rid, _ in plan.moves],
            "removed": [[t.name, rid, reason] for t, rid, reason in plan.removals],
            "counts": {"moved": moved, "removed": removed},
        }
        entry = AuditLog(actor=actor.name, db_user=(s.info.get("db_user") or "")[:63], action=MERGE_ACTION,
                         entity=ENTITY, record_id=keep.id,
                         summary=f"Объединены записи педагогов: «{keep_fio}» ← «{other_fio}»"[:500],
                         before=_dumps(before), after=_dumps(after))
        s.add(entry)
        s.flush()
        audit.write(s, actor, "delete", ENTITY, other.id,
                    {"deleted_at": None, "notes": old_notes},
                    {"deleted_at": stamp, "notes": other.notes, "merged_into": keep.id, "merge_id": entry.id},
                    f"{other_fio}: объединён с записью «{keep_fio}» (объединение № {entry.id})")
        return MergeResult(entry.id, moved, removed)


# ---------------------------------------------------------------------------- undo
