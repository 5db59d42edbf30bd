"""What a package would change, worked out before anything is written.

Each record is an upsert by UUID: new rows are inserted, a higher
``row_version`` from the owner replaces the row, anything else is left alone
(so a package imported twice changes nothing). A restart snapshot (the
municipality restored a backup: inbound.is_restart) is the truth about the
sender's rows instead: a row that differs is replaced whatever its version,
and the sender's rows it no longer has go to the bin. Ownership: a municipality's
package may only carry and change rows whose origin is that municipality;
the region's catalogue adds reference rows of other origins only where they
are missing and never overwrites this installation's own rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.storage.models import SyncIdentity, Teacher
from app.sync import personal_data as pd
from app.sync.errors import PackageRefused
from app.sync.identity import Profile, region_secret, synced_tables
from app.sync.inbound import Inbound, is_restart
from app.sync.teacher_merge import TeacherMerger

CHUNK = 500


@dataclass
class TableChange:
    new: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    merged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "deleted": self.deleted,
                "unchanged": self.unchanged, "merged": self.merged}


@dataclass
class Plan:
    changes: dict[str, TableChange] = field(default_factory=dict)
    inserts: dict[str, list[dict]] = field(default_factory=dict)
    updates: dict[str, list[dict]] = field(default_factory=dict)
    tombstones: dict[str, list[str]] = field(default_factory=dict)     # restart: the sender's rows it no longer has
    merger: TeacherMerger | None = None

    @property
    def changes_anything(self) -> bool:
        return any(c.new or c.updated or c.deleted or c.merged for c in self.changes.values()) or \
            any(self.tombstones.values())

    def summary(self) -> dict[str, dict[str, int]]:
        return {name: c.as_dict() for name, c in self.changes.items()}


def existing_rows(s: Session, table, ids: list[str]) -> dict[str, Any]:
    found = {}
    cols = [table.c.id, table.c.origin, table.c.row_version, table.c.deleted_at, table.c.updated_at]
    for i in range(0, len(ids), CHUNK):
        for row in s.execute(select(*cols).where(table.c.id.in_(ids[i:i + CHUNK]))):
            found[row.id] = row
    return found


def _classify(change: TableChange, rec: dict, ex, authoritative: bool = False) -> str:
    """'new', 'updated', 'deleted' or 'unchanged' for an incoming record against the stored row.

    ``authoritative`` (a restart snapshot): any other version or edit time replaces the stored row."""
    if ex is None:
        change.new += 1
        return "new"
    if authoritative:
        if rec["row_version"] == ex.row_version and rec["updated_at"] == ex.updated_at:
            change.unchanged += 1
            return "unchanged"
    elif rec["row_version"] <= ex.row_version:
        change.unchanged += 1
        return "unchanged"
    if rec["deleted_at"] is not None and ex.deleted_at is None:
        change.deleted += 1
    else:
        change.updated += 1
    return "updated"


def build_plan(s: Session, inbound: Inbound, profile: Profile) -> Plan:
    plan = Plan()
    owner = inbound.partner.municipality_code
    delta = inbound.kind == "delta"
    restart = delta and is_restart(inbound.header)
    where = inbound.path.name
    if delta:
        plan.merger = TeacherMerger(s, owner, {i.source_id: i for i in s.scalars(select(SyncIdentity))})
        _hash_teachers(inbound, profile)
    package_ids: dict[str, set[str]] = {}
    for table in synced_tables():
        rows = inbound.records.get(table.name)
        if not rows:
            continue
        change = plan.changes.setdefault(table.name, TableChange())
        existing = existing_rows(s, table, [r["id"] for r in rows])
        upgrades: set[str] = set()
        if plan.merger is not None and table.name == "teacher":
            plan.merger.prefetch(rows)
            if inbound.personal_data == "full":
                upgrades = _pseudonymous_ids(s, list(existing))
        teacher_fks = [c.name for c in table.c if any(fk.column.table.name == "teacher" for fk in c.foreign_keys)]
        for rec in rows:
            if delta and rec["origin"] != owner:
                raise PackageRefused(
                    f"{where}: запись {rec['id']} ({table.name}) принадлежит «{rec['origin'] or 'без владельца'}», "
                    f"а пакет прислал муниципалитет {owner}. Муниципалитет может передавать только свои записи.")
            if plan.merger is not None:
                for col in teacher_fks:
                    if rec[col] is not None:
                        rec[col] = plan.merger.resolve(rec[col])
            ex = existing.get(rec["id"])
            if delta and table.name == "teacher" and plan.merger.handles(rec, ex):
                plan.merger.plan(rec, ex, change)
                continue
            if ex is not None and ex.origin != rec["origin"]:
                if delta or ex.origin == profile.municipality_code:
                    raise PackageRefused(
                        f"{where}: запись {rec['id']} ({table.name}) здесь принадлежит «{ex.origin}»; "
                        "пакет не может её изменить.")
            if not delta and rec["origin"] != owner and ex is not None:
                change.unchanged += 1   # a reference row the catalogue carries: added only when missing
                continue
            if rec["id"] in upgrades and rec["row_version"] == ex.row_version and ex.deleted_at is None:
                # The region holds this teacher pseudonymised; the same version now comes in full.
                change.updated += 1
                plan.updates.setdefault(table.name, []).append(rec)
                continue
            outcome = _classify(change, rec, ex, authoritative=restart and ex is not None and ex.origin == owner)
            if outcome == "new":
                plan.inserts.setdefault(table.name, []).append(rec)
            elif outcome == "updated":
                plan.updates.setdefault(table.name, []).append(rec)
        package_ids[table.name] = {r["id"] for r in rows}
    _check_references(s, inbound, package_ids, where)
    if restart:
        _plan_tombstones(s, plan, owner, package_ids)
    return plan


def _plan_tombstones(s: Session, plan: Plan, owner: str, package_ids: dict[str, set[str]]) -> None:
    """The sender's live rows that its restored database no longer has (made after the copy)."""
    merged_into = set(s.scalars(select(SyncIdentity.teacher_id)))
    for table in synced_tables():
        carried = package_ids.get(table.name, set())
        gone = [i for i in s.scalars(select(table.c.id).where(table.c.origin == owner, table.c.deleted_at.is_(None)))
                if i not in carried and not (table.name == "teacher" and i in merged_into)]
        if gone:
            plan.tombstones[table.name] = gone
            plan.changes.setdefault(table.name, TableChange()).deleted += len(gone)


def _check_references(s: Session, inbound: Inbound, package_ids: dict[str, set[str]], where: str) -> None:
    """Every foreign key must point to a row in the package or already in the database."""
    for table in synced_tables():
        rows = inbound.records.get(table.name)
        if not rows:
            continue
        for col in table.c:
            for fk in col.foreign_keys:
                target = fk.column.table
                wanted = {r[col.name] for r in rows if r[col.name] is not None} - package_ids.get(target.name, set())
                if not wanted:
                    continue
                found = set(existing_rows(s, target, sorted(wanted)))
                missing = wanted - found
                if missing:
                    bad = next(r for r in rows if r[col.name] in missing)
                    raise PackageRefused(
                        f"{where}: запись {bad['id']} ({table.name}), поле «{col.name}» ссылается на запись "
                        f"{bad[col.name]} ({target.name}), которой нет ни в пакете, ни в базе.")


def _hash_teachers(inbound: Inbound, profile: Profile) -> None:
    """Gives every arriving teacher the region's keyed hash of the СНИЛС, the key that matches across levels.

    A pseudonymised package brings the hash, made with the key the region shared; a
    full one brings the СНИЛС and the region hashes it itself.
    """
    rows = inbound.records.get("teacher")
    if not rows and inbound.personal_data != "pseudonymised":
        return
    secret = region_secret(profile)
    if inbound.personal_data == "pseudonymised":
        if inbound.header.get("pseudonym_key_id") != pd.key_id(secret):
            raise PackageRefused(f"Пакет {inbound.path.name} псевдонимизирован не ключом этого регионального центра; "
                                 "муниципалитету нужно загрузить свежий каталог, адресованный ему, и выгрузить "
                                 "пакет заново.")
        return
    for rec in rows or []:
        rec["snils_hash"] = pd.snils_hash(secret, rec["snils"])


def _pseudonymous_ids(s: Session, ids: list[str]) -> set[str]:
    found = set()
    for i in range(0, len(ids), CHUNK):
        found.update(s.scalars(select(Teacher.id).where(
            Teacher.id.in_(ids[i:i + CHUNK]), Teacher.snils.is_(None), Teacher.last_name == pd.PLACEHOLDER_NAME,
            Teacher.first_name == "")))
    return found


def hash_missing_snils(s: Session, profile: Profile) -> int:
    """At the region: gives the keyed hash to teachers that have a СНИЛС but none yet.

    Rows loaded before the region had its key, and its own teachers typed here,
    would otherwise never match a pseudonymised teacher from a municipality.
    """
    from sqlalchemy import update

    missing = s.execute(select(Teacher.id, Teacher.snils).where(Teacher.snils.is_not(None),
                                                                Teacher.snils_hash.is_(None))).all()
    if not missing:
        return 0
    secret = region_secret(profile)
    table = Teacher.__table__
    s.execute(update(table).where(table.c.id == bindparam("b_id")),
              [{"b_id": i, "snils_hash": pd.snils_hash(secret, snils)} for i, snils in missing])
    return len(missing)
