"""One person, one teacher row at the region, whichever municipalities send them.

A teacher who moved appears in two municipalities' packages under two UUIDs.
The region keeps the row it saw first and records every municipality's UUID
for that person in ``sync_identity`` (source UUID → kept row, the owner, the
owner's row version, whether the owner deleted it). Rows pointing to a second
UUID (routes, credits, participations …) are re-pointed to the kept row as
they arrive, so the career and its credits stay one. The kept row shows the
data of the most recently updated live identity and is owned (``origin``) by
that municipality; it goes to the recycle bin only when every municipality
has deleted its identity.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.storage.models import SyncIdentity, Teacher
from app.sync.errors import PackageRefused
from app.sync.personal_data import REMOVED_FIELDS, is_pseudonymous

# Fields that follow the person's newest record; the row's own identity stays.
_KEEP = ("id", "created_at", "row_version")


@dataclass
class IdentityChange:
    source_id: str
    teacher_id: str
    origin: str
    row_version: int
    deleted: bool


class TeacherMerger:
    def __init__(self, s: Session, owner: str, identities: dict[str, SyncIdentity]):
        self.s = s
        self.owner = owner
        self.identities = {k: IdentityChange(v.source_id, v.teacher_id, v.origin, v.row_version, v.deleted)
                           for k, v in identities.items()}
        self.changed: dict[str, IdentityChange] = {}
        self.target_updates: dict[str, dict] = {}     # kept row id → new values (or a tombstone)
        self._matches: dict[str, Teacher | None] = {}

    def resolve(self, teacher_id: str) -> str:
        ident = self.identities.get(teacher_id)
        return ident.teacher_id if ident is not None else teacher_id

    def handles(self, rec: dict, ex) -> bool:
        """Whether this teacher record goes through identities rather than a plain upsert."""
        if rec["id"] in self.identities:
            return True
        return ex is None and self._match(rec) is not None

    @staticmethod
    def _keys(rec: dict) -> list[tuple[str, str]]:
        """How a record names its person: the СНИЛС, then the region's keyed hash of it."""
        if rec["deleted_at"] is not None:
            return []
        return [(k, rec[k]) for k in ("snils", "snils_hash") if rec.get(k)]

    def prefetch(self, records: list[dict]) -> None:
        """Looks every СНИЛС (and hash) of the package up at once instead of one query per teacher."""
        wanted = {key for r in records for key in self._keys(r)} - set(self._matches)
        for key in wanted:
            self._matches[key] = None
        for column in ("snils", "snils_hash"):
            values = sorted(v for k, v in wanted if k == column)
            attr = getattr(Teacher, column)
            for i in range(0, len(values), 500):
                found = self.s.scalars(select(Teacher).where(
                    attr.in_(values[i:i + 500]), Teacher.deleted_at.is_(None), Teacher.origin != self.owner)
                    .order_by(Teacher.created_at, Teacher.id))
                for teacher in found:
                    key = (column, getattr(teacher, column))
                    if self._matches.get(key) is None:
                        self._matches[key] = teacher

    def _match(self, rec: dict) -> Teacher | None:
        for key in self._keys(rec):
            if key not in self._matches:
                self.prefetch([rec])
            match = self._matches[key]
            if match is not None and match.id != rec["id"]:
                return match
        return None

    def merged_targets(self) -> set[str]:
        """Kept rows that stand for more than one municipality's UUID."""
        return {i.teacher_id for i in self.identities.values() if i.source_id != i.teacher_id}

    def _remember(self, ident: IdentityChange) -> None:
        self.identities[ident.source_id] = ident
        self.changed[ident.source_id] = ident

    def plan(self, rec: dict, ex, change) -> None:
        ident = self.identities.get(rec["id"])
        if ident is None:
            kept = self._match(rec)
            if kept.id not in self.identities:
                self._remember(IdentityChange(kept.id, kept.id, kept.origin, kept.row_version, False))
            ident = IdentityChange(rec["id"], kept.id, self.owner, 0, False)
            change.merged += 1
        elif ident.origin != self.owner:
            raise PackageRefused(f"Педагог {rec['id']} принадлежит муниципалитету {ident.origin}; "
                                 f"пакет муниципалитета {self.owner} не может его изменить.")
        elif rec["row_version"] <= ident.row_version:
            if self._fill_names(ident.teacher_id, rec):
                change.updated += 1     # the same version, now with the name the region lacked
            else:
                change.unchanged += 1
            return
        else:
            if rec["deleted_at"] is not None and not ident.deleted:
                change.deleted += 1
            else:
                change.updated += 1
        ident = IdentityChange(ident.source_id, ident.teacher_id, self.owner, rec["row_version"],
                               rec["deleted_at"] is not None)
        self._remember(ident)
        self._plan_target(ident.teacher_id, rec)

    def _plan_target(self, teacher_id: str, rec: dict) -> None:
        target = self.s.get(Teacher, teacher_id)
        pending = self.target_updates.get(teacher_id, {})
        current_updated = pending.get("updated_at", target.updated_at)
        if rec["deleted_at"] is None:
            if rec["updated_at"] >= current_updated or target.deleted_at is not None:
                values = {k: v for k, v in rec.items() if k not in _KEEP}
                if is_pseudonymous(rec):
                    # A pseudonymised record brings no name: the kept row keeps the one it has.
                    for name, _ in REMOVED_FIELDS:
                        values.pop(name, None)
                    if values.get("snils_hash") is None:
                        values.pop("snils_hash", None)
                self.target_updates[teacher_id] = values
            else:
                self._fill_names(teacher_id, rec)
            return
        live = [i for i in self.identities.values() if i.teacher_id == teacher_id and not i.deleted]
        if not live:
            self.target_updates[teacher_id] = {**pending, "deleted_at": rec["deleted_at"]}

    def _fill_names(self, teacher_id: str, rec: dict) -> bool:
        """A full record gives its name and СНИЛС to a kept row that only has them pseudonymised."""
        if rec["deleted_at"] is not None or is_pseudonymous(rec):
            return False
        target = self.s.get(Teacher, teacher_id)
        pending = self.target_updates.get(teacher_id, {})
        current = {name: pending.get(name, getattr(target, name)) for name, _ in REMOVED_FIELDS}
        if not is_pseudonymous(current):
            return False
        self.target_updates[teacher_id] = {**pending, **{name: rec[name] for name, _ in REMOVED_FIELDS},
                                           "snils_hash": rec.get("snils_hash")}
        return True

    def apply(self, s: Session, change_seq: int) -> list[str]:
        """Writes identities and kept rows; returns the kept rows' ids (their credits need refreshing).

        Core statements, not the ORM: the flush hook would stamp ``updated_at``
        with the import time, and "newest record wins" compares the owners' times.
        """
        from app.storage.database import row_search_key

        for ident in self.changed.values():
            row = s.get(SyncIdentity, ident.source_id)
            if row is None:
                s.add(SyncIdentity(source_id=ident.source_id, teacher_id=ident.teacher_id, origin=ident.origin,
                                   row_version=ident.row_version, deleted=ident.deleted))
            else:
                row.origin, row.row_version, row.deleted = ident.origin, ident.row_version, ident.deleted
        table = Teacher.__table__
        for teacher_id, values in self.target_updates.items():
            current = s.execute(select(table).where(table.c.id == teacher_id)).mappings().one()
            merged = {**current, **values}
            s.execute(update(table).where(table.c.id == teacher_id).values(
                **values, row_version=current["row_version"] + 1, change_seq=change_seq,
                search_key=row_search_key(Teacher, merged)))
        s.flush()
        return list(self.target_updates)
