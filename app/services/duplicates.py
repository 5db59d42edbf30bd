"""Probable duplicate teachers: finding them, merging two records, undoing a merge.

A duplicate is *probable*, never certain, so nothing here merges on its own:
the service finds candidates with a reason the user can read, previews a
merge field by field, merges in one transaction and can undo it from the
merge log.

Reasons (strongest first):
- «совпадает СНИЛС» — the identity of a person (duplicates of it arrive by sync
  or import; a form refuses them, see records._teacher_checks);
- «совпадают ФИО и дата рождения» — the same normalised ФИО (case and ё/е
  ignored) and the same birth date, in any organisation;
- «похожие ФИО в той же организации» — a very similar ФИО in the same
  organisation: the names differ in one part only, by a typo (one edit, or a
  similarity ratio of the whole ФИО ≥ 0.92), or first name and patronymic are
  swapped, or one record lacks the patronymic, or one surname is a part of the
  other's double-barrelled one — unless both records carry birth dates and
  they differ (namesakes, or two sisters Анна and Алла Петровна in one school,
  are two people).

Both the form check and the registry scan use the same predicate, so what the
«Возможные дубликаты» view lists is exactly what a form would warn about.

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
import re
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any, Iterable

from sqlalchemy import Column, Table, func, select, update
from sqlalchemy.orm import Session

from app.domain import names
from app.domain.validators import ValidationError, format_date
from app.services import audit, pd_status
from app.services.actor import Actor
from app.services.entities import SPECS, spec_for
from app.services.errors import NotFound, ServiceError
from app.services.fields import DATE, REF, display, normalize
from app.services.records import Batch, RecordService
from app.storage.base import Base, utcnow
from app.storage.database import Database
from app.storage.models import AuditLog, Organization, Teacher

REASON_SNILS = "совпадает СНИЛС"
REASON_SAME = "совпадают ФИО и дата рождения"
REASON_SIMILAR = "похожие ФИО в той же организации"
REASON_ORDER = {REASON_SNILS: 0, REASON_SAME: 1, REASON_SIMILAR: 2}

# The whole normalised ФИО at least this similar (difflib ratio) counts as a typo.
SIMILARITY_THRESHOLD = 0.92
# Scores reported for the structural variants (for ordering and display only).
SCORE_SWAPPED = 0.95
SCORE_NO_PATRONYMIC = 0.9
SCORE_DOUBLE_SURNAME = 0.9

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
ENTITY = "teachers"
_SYNC_COLUMNS = ("id", "origin", "created_at", "updated_at", "row_version", "change_seq", "deleted_at",
                 "search_key")
_CHUNK = 500


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class TeacherBrief:
    """A teacher as a duplicate list shows it."""

    id: str
    fio: str
    birth_date: date | None
    snils: str | None
    organization_id: str | None
    organization: str | None


@dataclass(frozen=True)
class DuplicateCandidate:
    teacher_id: str
    fio: str
    birth_date: date | None
    snils: str | None
    organization_id: str | None
    organization: str | None
    reasons: tuple[str, ...]        # strongest first
    similarity: float               # of the normalised ФИО, 0…1

    @property
    def reason(self) -> str:
        return self.reasons[0]

    @property
    def text(self) -> str:
        """«Иванова Анна Петровна, 12.03.1985, МБОУ СШ № 7 — совпадают ФИО и дата рождения»."""
        parts = [self.fio, format_date(self.birth_date), self.organization or ""]
        return ", ".join(p for p in parts if p) + " — " + "; ".join(self.reasons)


@dataclass(frozen=True)
class DuplicateGroup:
    reasons: tuple[str, ...]        # strongest first
    members: tuple[TeacherBrief, ...]   # oldest record first: the natural survivor

    @property
    def reason(self) -> str:
        return self.reasons[0]


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


# ---------------------------------------------------------------------------- names


NameKey = tuple[str, str, str]


_DASHES = re.compile(r"\s*[-\u2010-\u2014]\s*")


def part_key(text: Any) -> str:
    """One name part compared case- and ё-insensitively, spaces and dashes tidied.

    The same as ``names.search_key(names.normalize_name_part(text))``, cheaper:
    the registry scan computes it for every stored name.
    """
    if not text:
        return ""
    tidy = " ".join(str(text).split())
    if "-" in tidy or any("\u2010" <= ch <= "\u2014" for ch in tidy):
        tidy = _DASHES.sub("-", tidy).strip("-")
    return tidy.casefold().replace("ё", "е")


def name_key(last: Any, first: Any, middle: Any) -> NameKey:
    """Case- and ё-insensitive parts of a ФИО, dashes and spaces tidied."""
    return part_key(last), part_key(first), part_key(middle)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, deleted, replaced, or two neighbours swapped."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:]


def _surname_parts(last: str) -> set[str]:
    return {p for p in last.split("-") if p}


def name_similarity(a: NameKey, b: NameKey) -> float | None:
    """How alike two normalised ФИО are when they name one person; None when they do not.

    Only ФИО differing in one part qualify (a typo in it, a missing patronymic,
    a double-barrelled surname) or with first name and patronymic swapped.
    """
    if a == b:
        return 1.0
    (l1, f1, m1), (l2, f2, m2) = a, b
    if not (l1 and f1 and l2 and f2):
        return None
    if l1 == l2 and f1 == m2 and m1 == f2:
        return SCORE_SWAPPED
    same = (l1 == l2) + (f1 == f2) + (m1 == m2)
    if same != 2:
        return None
    full = _ratio(" ".join(p for p in a if p), " ".join(p for p in b if p))
    if m1 != m2:
        if not m1 or not m2:
            return max(full, SCORE_NO_PATRONYMIC)
        differing = (m1, m2)
    elif f1 != f2:
        differing = (f1, f2)
    else:
        if l1 != l2 and (_surname_parts(l1) & _surname_parts(l2)) and ("-" in l1 or "-" in l2):
            return max(full, SCORE_DOUBLE_SURNAME)
        differing = (l1, l2)
    if full >= SIMILARITY_THRESHOLD or _one_edit(*differing):
        return full
    return None


@dataclass(frozen=True)
class _Person:
    id: str | None
    key: NameKey
    birth_date: date | None
    snils: str | None
    organization_id: str | None

    @property
    def has_name(self) -> bool:
        return bool(self.key[0] and self.key[1])


def _org_similarity(p: _Person, q: _Person) -> float | None:
    """The «похожие ФИО в той же организации» test of two people."""
    if not p.organization_id or p.organization_id != q.organization_id or not (p.has_name and q.has_name):
        return None
    score = name_similarity(p.key, q.key)
    if score is None:
        return None
    if p.birth_date and q.birth_date and p.birth_date != q.birth_date:
        return None
    return score


def _reasons(p: _Person, q: _Person) -> tuple[list[str], float]:
    reasons: list[str] = []
    score = 0.0
    if p.snils and p.snils == q.snils:
        reasons.append(REASON_SNILS)
    if p.has_name and p.key == q.key and p.birth_date and p.birth_date == q.birth_date:
        reasons.append(REASON_SAME)
        score = 1.0
    similar = _org_similarity(p, q)
    if similar is not None:
        reasons.append(REASON_SIMILAR)
        score = max(score, similar)
    if not score and reasons and p.has_name and q.has_name:
        score = _ratio(" ".join(p.key), " ".join(q.key))
    return reasons, score


# ---------------------------------------------------------------------------- finding

_BRIEF_COLUMNS = (Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.birth_date,
                  Teacher.snils, Teacher.organization_id)


def _person(row) -> _Person:
    return _Person(row.id, name_key(row.last_name, row.first_name, row.middle_name), row.birth_date,
                   row.snils or None, row.organization_id or None)


def _fio(row) -> str:
    return names.format_fio(row.last_name, row.first_name, row.middle_name)


def _org_names(s: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    spec = spec_for("organizations")
    out: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        out.update((oid, name) for oid, name in s.execute(
            select(Organization.id, spec.display(Organization)).where(Organization.id.in_(chunk))))
    return out


def _lenient(field_name: str, value: Any) -> Any:
    """A value typed in a form in its stored form, or None while it is not valid yet."""
    try:
        return normalize(spec_for(ENTITY).field(field_name), value)
    except ValidationError:
        return None


_PROBE_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "organization_id", "snils")


def find_duplicates(db: Database, teacher_id: str | None = None, values: dict[str, Any] | None = None,
                    limit: int = 50) -> list[DuplicateCandidate]:
    """Probable duplicates of an existing teacher, or of the values being typed in a form.

    With both, the values override the stored ones (an edit form) and the
    teacher itself is never its own duplicate. Candidates are fetched by narrow
    conditions (same СНИЛС, same birth date, same organisation) and compared in Python.
    """
    with db.read() as s:
        base: dict[str, Any] = {}
        if teacher_id:
            row = s.execute(select(*_BRIEF_COLUMNS).where(Teacher.id == teacher_id)).first()
            if row is None:
                raise NotFound(f"Не найдена запись (педагог) с идентификатором {teacher_id}.")
            base = dict(row._mapping)
        for name in _PROBE_FIELDS:
            if values and name in values:
                base[name] = _lenient(name, values[name])
        probe = _Person(teacher_id, name_key(base.get("last_name"), base.get("first_name"), base.get("middle_name")),
                        base.get("birth_date"), base.get("snils") or None, base.get("organization_id") or None)

        live = Teacher.deleted_at.is_(None)
        conditions = []
        if probe.snils:
            conditions.append(Teacher.snils == probe.snils)
        if probe.has_name and probe.birth_date:
            conditions.append(Teacher.birth_date == probe.birth_date)
        if probe.has_name and probe.organization_id:
            conditions.append(Teacher.organization_id == probe.organization_id)
        rows: dict[str, Any] = {}
        # One query per condition: each uses its own index (an OR would scan the table).
        for condition in conditions:
            stmt = select(*_BRIEF_COLUMNS).where(condition, live)
            if teacher_id:
                stmt = stmt.where(Teacher.id != teacher_id)
            for row in s.execute(stmt):
                rows[row.id] = row
        found: list[tuple[tuple, DuplicateCandidate]] = []
        hits = []
        for row in rows.values():
            reasons, score = _reasons(probe, _person(row))
            if reasons:
                hits.append((row, reasons, score))
        orgs = _org_names(s, (row.organization_id for row, _, _ in hits))
        for row, reasons, score in hits:
            reasons.sort(key=REASON_ORDER.__getitem__)
            fio = _fio(row)
            cand = DuplicateCandidate(row.id, fio, row.birth_date, row.snils, row.organization_id,
                                      orgs.get(row.organization_id), tuple(reasons), round(score, 3))
            found.append(((REASON_ORDER[reasons[0]], -score, names.search_key(fio), row.id), cand))
    found.sort(key=lambda item: item[0])
    return [c for _, c in found[:limit]]


class _Groups:
    """Union-find over row indices, remembering the reasons that joined them."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.reasons: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(i, i) != root:
            parent[i], i = root, parent[i]
        return root

    def join(self, i: int, j: int, reasons: Iterable[str]) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[b] = a
            self.reasons.setdefault(a, set()).update(self.reasons.pop(b, ()))
        self.reasons.setdefault(a, set()).update(reasons)

    def members(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i in set(self.parent) | set(self.reasons):
            out.setdefault(self.find(i), []).append(i)
        return out


def duplicate_groups(db: Database, limit: int = 200) -> list[DuplicateGroup]:
    """A scan of the whole registry for probable duplicates, for the «Возможные дубликаты» view.

    One query, then one pass in Python: people are bucketed by keys that any
    two duplicates share — СНИЛС; ФИО with birth date; within an organisation
    the surname with the first name or the patronymic (one bucket family, so
    that swapped first name and patronymic meet), or first name with
    patronymic — and only people sharing a bucket are compared.
    """
    with db.read() as s:
        rows = s.execute(select(*_BRIEF_COLUMNS).where(Teacher.deleted_at.is_(None))).all()
        cache: dict[str, str] = {"": ""}
        keys: list[NameKey] = []
        buckets: dict[tuple, list[int]] = {}
        add = buckets.setdefault
        for i, (_id, last, first, middle, birth, snils, org) in enumerate(rows):
            parts = []
            for text in (last or "", first or "", middle or ""):
                k = cache.get(text)
                if k is None:
                    k = cache[text] = part_key(text)
                parts.append(k)
            l, f, m = parts
            keys.append((l, f, m))
            if snils:
                add(("s", snils), []).append(i)
            if l and f:
                if birth:
                    add(("b", l, f, m, birth), []).append(i)
                if org:
                    add(("l", org, l, f), []).append(i)
                    add(("l", org, l, m), []).append(i)
                    add(("f", org, f, m), []).append(i)
        people: dict[int, _Person] = {}

        def person(i: int) -> _Person:
            p = people.get(i)
            if p is None:
                r = rows[i]
                p = people[i] = _Person(r.id, keys[i], r.birth_date, r.snils or None, r.organization_id or None)
            return p

        groups = _Groups()
        seen: set[tuple[int, int]] = set()
        for members in buckets.values():
            if len(members) < 2:
                continue
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    pair = (members[x], members[y])
                    if pair[0] == pair[1] or pair in seen:
                        continue
                    seen.add(pair)
                    reasons, _ = _reasons(person(pair[0]), person(pair[1]))
                    if reasons:
                        groups.join(*pair, reasons)
        found = [members for members in groups.members().values() if len(members) > 1]
        created = _created(s, [rows[i].id for members in found for i in members])
        ordered = []
        for members in found:
            reasons = tuple(sorted(groups.reasons[groups.find(members[0])], key=REASON_ORDER.__getitem__))
            members.sort(key=lambda i: (created.get(rows[i].id) or datetime.min, rows[i].id))
            first_row = rows[members[0]]
            ordered.append(((REASON_ORDER[reasons[0]], names.search_key(_fio(first_row)), first_row.id),
                            reasons, members))
        ordered.sort(key=lambda item: item[0])
        ordered = ordered[:limit]
        orgs = _org_names(s, (rows[i].organization_id for _, _, members in ordered for i in members))
        return [DuplicateGroup(reasons, tuple(_brief(rows[i], orgs) for i in members))
                for _, reasons, members in ordered]


def _created(s: Session, ids: list[str]) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for chunk in _chunks(ids):
        out.update((tid, at) for tid, at in s.execute(select(Teacher.id, Teacher.created_at)
                                                      .where(Teacher.id.in_(chunk))))
    return out


def _brief(row, orgs: dict[str, str]) -> TeacherBrief:
    return TeacherBrief(row.id, _fio(row), row.birth_date, row.snils, row.organization_id,
                        orgs.get(row.organization_id) if row.organization_id else None)


# ---------------------------------------------------------------------------- references


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


def _teacher_fields():
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
        orgs = _org_names(s, (keep.organization_id, other.organization_id))
        fields = []
        for f in _teacher_fields():
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
        return MergePreview(_brief(keep, orgs), _brief(other, orgs), fields, related, removed, warnings)


# ---------------------------------------------------------------------------- merge


def _to_json(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_to_json)


def _teacher_value(name: str, value: Any) -> Any:
    """A teacher field value read back from the merge log."""
    if value is None:
        return None
    if spec_for(ENTITY).field(name).kind == DATE:
        return date.fromisoformat(value)
    return value


def _snapshot(t: Teacher) -> dict[str, Any]:
    out = {f.name: _to_json(getattr(t, f.name)) for f in _teacher_fields()}
    out["deleted_at"] = _to_json(t.deleted_at)
    return out


def _resolve_choices(keep: Teacher, other: Teacher, choices: dict[str, str] | None) -> dict[str, str]:
    known = {f.name: f for f in _teacher_fields()}
    resolved = {name: _default_choice(name, getattr(keep, name), getattr(other, name)) for name in known}
    for name, choice in (choices or {}).items():
        if name not in known:
            raise ServiceError(f"У записи «педагог» нет поля «{name}».")
        if choice not in (KEEP, OTHER):
            raise ServiceError(f"Поле «{known[name].label}»: выберите значение одной из записей "
                               f"(«{KEEP}» или «{OTHER}»), указано «{choice}».")
        resolved[name] = choice
    return resolved


def _bump(table: Table, seq: int, now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "change_seq" in table.c:
        values["change_seq"] = seq
    if "row_version" in table.c:
        values["row_version"] = table.c.row_version + 1
    if "updated_at" in table.c:
        values["updated_at"] = now
    return values


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


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
        keep_fio, other_fio = _fio(keep), _fio(other)
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
            for chunk in _chunks(ids):
                s.execute(update(table).where(table.c.id.in_(chunk), col == other.id)
                          .values({col.name: keep.id, **_bump(table, seq, stamp)}))
        removed: dict[str, int] = {}
        for table, rid, _reason in plan.removals:
            s.execute(update(table).where(table.c.id == rid, table.c.deleted_at.is_(None))
                      .values(deleted_at=stamp, **_bump(table, seq, stamp)))
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
        entry = AuditLog(actor=actor.name, action=MERGE_ACTION, entity=ENTITY, record_id=keep.id,
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
    for chunk in _chunks(ids):
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
                f"Нельзя отменить объединение № {entry.id}: запись «{_fio(keep)}» удалена или объединена с другой "
                "после этого объединения. Сначала восстановите её (или отмените более позднее объединение).")
        stamp = datetime.fromisoformat(data["stamp"])
        if other.deleted_at is not None and other.deleted_at != stamp:
            raise ServiceError(
                f"Нельзя отменить объединение № {entry.id}: запись «{other_name}» удалена отдельно после "
                "объединения. Сначала восстановите её из корзины.")

        restored: dict[str, Any] = {}
        kept: list[str] = []
        for name, merged in data.get("keep", {}).items():
            current = _to_json(getattr(keep, name))
            if current == merged:
                value = _teacher_value(name, before["keep"][name])
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
            for chunk in _chunks(ids):
                n = s.execute(update(table).where(table.c.id.in_(chunk), col == keep_id)
                              .values({col_name: other_id, **_bump(table, seq, now)})).rowcount
                moved_back += n
                skipped += len(chunk) - n
        revived = 0
        for table_name, rid, _reason in data.get("removed", []):
            table = tables[table_name]
            revived += s.execute(update(table).where(table.c.id == rid, table.c.deleted_at == stamp)
                                 .values(deleted_at=None, **_bump(table, seq, now))).rowcount

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
                    f"Нельзя отменить объединение № {merge_id}: СНИЛС {t.snils} записи «{_fio(t)}» теперь "
                    f"принадлежит педагогу «{_fio(holder)}» (id {holder.id}). Исправьте СНИЛС и повторите.")
        for f in _teacher_fields():
            target_id = getattr(t, f.name) if f.kind == REF else None
            if target_id:
                target = s.get(spec_for(f.ref).model, target_id)
                if target is None or target.deleted_at is not None:
                    name = s.scalar(select(org_spec.display(Organization)).where(Organization.id == target_id)) \
                        if f.ref == "organizations" else target_id
                    raise ServiceError(
                        f"Нельзя отменить объединение № {merge_id}: у записи «{_fio(t)}» поле «{f.label}» "
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
