"""Importing a package: preview what it would change, then apply it all in one transaction.

Delta (at the region): records upserted, teachers matched by СНИЛС, a signed
receipt for the sender. Receipt (at the municipality): moves the start of the
next delta. Catalogue (at the municipality): the region's programmes and
events plan, read-only here. A database backup is taken before any write.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.services.access import audit
from app.services.registry import pd_status
from app.services.common.actor import Actor
from app.storage.backup import backup_database
from app.storage.bulk_rows import insert_rows
from app.storage.base import Base, utcnow
from app.storage.database import Database, lock_for_transaction, row_search_key
from app.storage.migrate import HEAD_REVISION
from app.storage.models import SyncPackage
from app.sync import aggregates, envelope, personal_data
from app.sync.errors import PackageRefused, SyncError
from app.sync.export import utc_now_text, party_of, receiver_of, seal_package
from app.sync.identity import load_keys, require_profile, synced_tables
from app.sync.inbound import KINDS, Inbound, open_package
from app.sync.ledger import find, out_channel, record
from app.sync.plan import Plan, build_plan, hash_missing_snils

Progress = Callable[[float, str], None]


@dataclass
class ImportOutcome:
    kind: str
    kind_label: str
    sender: str
    sequence: int
    already_imported: bool
    changes: dict[str, dict[str, int]] = field(default_factory=dict)
    acknowledged: str = ""           # for a receipt: what it acknowledged
    receipt_path: Path | None = None
    backup_path: Path | None = None
    applied: bool = False
    personal_data: str = "full"
    aggregates: int = 0              # organisations in an «aggregates only» package
    pseudonym_key: bool = False      # a catalogue that brought the region's pseudonymisation key

    def totals(self) -> dict[str, int]:
        out = {"new": 0, "updated": 0, "deleted": 0, "unchanged": 0, "merged": 0}
        for c in self.changes.values():
            for k in out:
                out[k] += c.get(k, 0)
        return out


def _models() -> dict[str, type]:
    return {m.local_table.name: m.class_ for m in Base.registry.mappers}


def _outcome(inbound: Inbound, plan: Plan | None) -> ImportOutcome:
    out = ImportOutcome(inbound.kind, KINDS[inbound.kind], inbound.partner.name, inbound.sequence,
                        inbound.already is not None, plan.summary() if plan else {})
    out.personal_data = inbound.personal_data
    out.aggregates = len(inbound.aggregates or [])
    out.pseudonym_key = inbound.pseudonym_secret is not None
    return out


def _receipt_target(s: Session, inbound: Inbound) -> SyncPackage:
    ack = inbound.header.get("acknowledges") or {}
    sent = find(s, "out", package_id=ack.get("package_id"), sha256=ack.get("sha256"))
    if sent is None or sent.partner_id != inbound.partner.installation_id:
        raise PackageRefused(f"Квитанция {inbound.path.name} относится к пакету, который эта установка "
                             f"не отправляла «{inbound.partner.name}».")
    return sent


def _open(s: Session, db: Database, path: Path) -> tuple[Inbound, Plan | None, ImportOutcome]:
    profile = require_profile(s)
    inbound = open_package(s, path, profile, load_keys(profile))
    if inbound.kind == "receipt":
        sent = _receipt_target(s, inbound)
        outcome = _outcome(inbound, None)
        outcome.already_imported = outcome.already_imported or sent.acknowledged_at is not None
        outcome.acknowledged = f"пакет № {sent.sequence} от {sent.created_at:%d.%m.%Y %H:%M}"
        return inbound, None, outcome
    plan = None if inbound.already is not None else build_plan(s, inbound, profile)
    return inbound, plan, _outcome(inbound, plan)


def preview(db: Database, path: Path) -> ImportOutcome:
    """Everything is checked and counted; nothing is written."""
    with db.read() as s:
        return _open(s, db, path)[2]


def _apply_records(s: Session, db: Database, plan: Plan) -> list[str]:
    seq = db.next_change_seq(s)
    models = _models()
    for table in synced_tables():
        model = models[table.name]
        rows = plan.inserts.get(table.name)
        searchable = "search_key" in table.c
        if rows:
            values = [{**r, "change_seq": seq, **({"search_key": row_search_key(model, r)} if searchable else {})}
                      for r in rows]
            insert_rows(s, table, values, db.guard)
        rows = plan.updates.get(table.name)
        if rows:
            stmt = update(table).where(table.c.id == bindparam("b_id"))
            values = []
            for r in rows:
                v = {k: val for k, val in r.items() if k != "id"}
                v.update(b_id=r["id"], change_seq=seq)
                if searchable:
                    v["search_key"] = row_search_key(model, r)
                values.append(v)
            s.execute(stmt, values)
    stamp = utcnow()
    for table in synced_tables():
        ids = plan.tombstones.get(table.name, [])
        for i in range(0, len(ids), 500):
            s.execute(update(table).where(table.c.id.in_(ids[i:i + 500])).values(
                deleted_at=stamp, updated_at=stamp, row_version=table.c.row_version + 1, change_seq=seq))
    touched = plan.merger.apply(s, seq) if plan.merger is not None else []
    # The sender's ``last_pd_on`` is right for its own teachers (it owns their routes);
    # only a merged person, whose routes now come from two municipalities, is recomputed.
    teachers = set(touched)
    merged = plan.merger.merged_targets() if plan.merger is not None else set()
    if merged:
        for entity, name in (("trajectories", "trajectory"), ("trajectory_items", "trajectory_item")):
            ids = [r["id"] for r in plan.inserts.get(name, []) + plan.updates.get(name, [])]
            for i in range(0, len(ids), 500):
                teachers.update(set(pd_status.teachers_of(s, entity, ids[i:i + 500])) & merged)
    if teachers:
        pd_status.refresh_last_pd(s, sorted(teachers))
    return sorted(teachers)


def _build_receipt(s: Session, profile, keys, inbound: Inbound, changes: dict) -> tuple[dict, bytes]:
    partner = inbound.partner
    header = {
        "format": "metodset-sync", "format_version": envelope.FORMAT_VERSION, "kind": "receipt",
        "package_id": str(uuid.uuid4()), "schema_revision": HEAD_REVISION, "created_at": utc_now_text(),
        "sender": party_of(profile, keys), "receiver": receiver_of(partner),
        "sequence": out_channel(s, partner.installation_id, "receipt").last_sequence + 1,
        "previous_sha256": None, "acknowledged_sequence": 0, "since_change_seq": 0, "upto_change_seq": 0,
        "snapshot": False, "personal_data": "none", "counts": {}, "parts": [],
        "acknowledges": {"package_id": inbound.header["package_id"], "sequence": inbound.sequence,
                         "sha256": inbound.sha256, "upto_change_seq": inbound.header.get("upto_change_seq", 0),
                         "changes": changes},
    }
    data = seal_package(header, {}, keys, partner)
    record(s, direction="out", kind="receipt", header=header, partner_id=partner.installation_id,
           partner_code=partner.municipality_code, sha256=envelope.sha256(data), counts={})
    return header, data


def import_package(db: Database, path: Path, *, receipt_out: Path | None = None, actor: Actor | None = None,
                   progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                   backup_dir: Path | None = None) -> ImportOutcome:
    """Applies the package in one transaction after a backup; a refused package changes nothing."""
    actor = actor or Actor.system_user()

    def check_cancel() -> None:
        if cancelled is not None and cancelled():
            raise SyncError("Загрузка пакета отменена; база не изменилась.")

    path = Path(path)
    if progress:
        progress(0.05, "Проверка подписи и содержимого")
    backup_path = None
    receipt = None
    with db.session() as s:
        # Two coordinators loading packages of one sender at once take turns (PostgreSQL): the second sees
        # the first one's package as already loaded instead of applying it again.
        lock_for_transaction(s, "sync-import:" + envelope.sender_of(envelope.read_file(path), Path(path).name))
        if require_profile(s).is_region:
            # Derived and local, so part of this transaction: a refused package rolls it back too.
            hash_missing_snils(s, require_profile(s))
        # Checked and planned inside the write transaction (nobody can change the
        # database in between); a refused package raises before anything is written.
        inbound, plan, outcome = _open(s, db, path)
        if receipt_out is not None and inbound.kind != "delta":
            raise SyncError("Квитанция (--receipt-out) создаётся только при загрузке пакета изменений "
                            "муниципалитета.")
        check_cancel()
        if not outcome.already_imported and db.path is not None:
            if progress:
                progress(0.4, "Резервная копия базы")
            # Another connection copies the committed state: this transaction has written nothing yet.
            if backup_dir is None:
                from app.services.maintenance.backups import backup_before

                backup_path = backup_before(db, "sync-import")   # also prunes the old automatic copies
            else:
                backup_path = backup_database(db, backup_dir, reason="before-sync-import")
        check_cancel()
        if progress:
            progress(0.6, "Загрузка записей")
        profile = require_profile(s)
        if inbound.kind == "receipt":
            sent = _receipt_target(s, inbound)
            if sent.acknowledged_at is None:
                sent.acknowledged_at = utcnow()
                record(s, direction="in", kind="receipt", header=inbound.header,
                       partner_id=inbound.partner.installation_id, partner_code=inbound.partner.municipality_code,
                       sha256=inbound.sha256, counts={})
                audit.write(s, actor, "sync_receipt", "sync_package", sent.package_id,
                            summary=f"Квитанция «{inbound.partner.name}»: принят {outcome.acknowledged}")
                outcome.applied = True
        elif inbound.already is None:
            try:
                _apply_records(s, db, plan)
            except IntegrityError as exc:
                # A constraint the schema checks could not foresee (e.g. a unique code taken
                # by another owner's row): the whole transaction rolls back.
                raise PackageRefused(f"Пакет {path.name} противоречит данным этой базы и не загружен: "
                                     f"{exc.orig}") from None
            if inbound.aggregates is not None:
                from datetime import datetime

                aggregates.store(s, inbound.partner.municipality_code, inbound.header["package_id"],
                                 datetime.fromisoformat(inbound.header["created_at"]).date(), inbound.aggregates)
            if inbound.pseudonym_secret is not None:
                personal_data.store_received_secret(s, inbound.pseudonym_secret)
            record(s, direction="in", kind=inbound.kind, header=inbound.header,
                   partner_id=inbound.partner.installation_id, partner_code=inbound.partner.municipality_code,
                   sha256=inbound.sha256, counts=outcome.changes)
            totals = outcome.totals()
            audit.write(s, actor, "sync_import", "sync_package", inbound.header["package_id"], None,
                        {"kind": inbound.kind, "sequence": inbound.sequence, "changes": outcome.changes},
                        f"Пакет № {inbound.sequence} от «{inbound.partner.name}» ({KINDS[inbound.kind]}): "
                        f"новых {totals['new']}, изменено {totals['updated']}, удалено {totals['deleted']}, "
                        f"объединено по СНИЛС {totals['merged']}")
            outcome.applied = True
        if receipt_out is not None:
            changes = outcome.changes if inbound.already is None else _logged_changes(inbound)
            receipt = _build_receipt(s, profile, load_keys(profile), inbound, changes)
    if receipt is not None:
        envelope.write_atomic(receipt_out, receipt[1])
        outcome.receipt_path = Path(receipt_out)
    outcome.backup_path = backup_path
    if progress:
        progress(1.0, "Готово")
    return outcome


def _logged_changes(inbound: Inbound) -> dict:
    import json

    return json.loads(inbound.already.counts or "{}")


__all__ = ["ImportOutcome", "import_package", "preview"]
