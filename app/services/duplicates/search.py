"""Finding probable duplicate teachers: name similarity, the form check and the registry scan.

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
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import names
from app.domain.validators import ValidationError, format_date
from app.services.registry.specs import spec_for
from app.services.common.errors import NotFound
from app.services.common.fields import normalize
from app.storage.database import Database
from app.storage.models import Organization, Teacher

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

ENTITY = "teachers"
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


def full_name_of(row) -> str:
    return names.format_fio(row.last_name, row.first_name, row.middle_name)


def organization_names(s: Session, ids: Iterable[str | None]) -> dict[str, str]:
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
        orgs = organization_names(s, (row.organization_id for row, _, _ in hits))
        for row, reasons, score in hits:
            reasons.sort(key=REASON_ORDER.__getitem__)
            fio = full_name_of(row)
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
            ordered.append(((REASON_ORDER[reasons[0]], names.search_key(full_name_of(first_row)), first_row.id),
                            reasons, members))
        ordered.sort(key=lambda item: item[0])
        ordered = ordered[:limit]
        orgs = organization_names(s, (rows[i].organization_id for _, _, members in ordered for i in members))
        return [DuplicateGroup(reasons, tuple(teacher_brief(rows[i], orgs) for i in members))
                for _, reasons, members in ordered]


def _created(s: Session, ids: list[str]) -> dict[str, datetime]:
    out: dict[str, datetime] = {}
    for chunk in in_chunks(ids):
        out.update((tid, at) for tid, at in s.execute(select(Teacher.id, Teacher.created_at)
                                                      .where(Teacher.id.in_(chunk))))
    return out


def teacher_brief(row, orgs: dict[str, str]) -> TeacherBrief:
    return TeacherBrief(row.id, full_name_of(row), row.birth_date, row.snils, row.organization_id,
                        orgs.get(row.organization_id) if row.organization_id else None)


# ---------------------------------------------------------------------------- references


def in_chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]
