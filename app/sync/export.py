"""Writing packages: the municipality's delta, the region's catalogue, receipts.

A delta holds every own row whose ``change_seq`` is above the watermark the
receiver acknowledged (0 before the first receipt: everything), tombstones
included. The query is a range on ``change_seq`` alone, which every synced
table indexes, so ten changes cost the same in a 1,000- or 100,000-teacher
database.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.database import Database
from app.storage.migrate import HEAD_REVISION
from app.storage.models import AppMeta, SyncPackage, SyncPartner
from app.storage.numbering import last_change_seq, settled_change_seq
from app.sync import aggregates, envelope, payload
from app.sync import personal_data as pd
from app.sync.codec import encode_rows, payload_columns
from app.sync.errors import SyncError
from app.sync.identity import KeyPair, Profile, load_keys, region_secret, require_profile, synced_tables
from app.sync.ledger import count_out, out_channel, record
from app.sync.partners import find_receiver

Progress = Callable[[float, str], None]
Cancelled = Callable[[], bool]
# The catalogue the region sends down: the programmes, the regional events
# plan and, where the schema has them, review criteria sheets.
CATALOGUE_TABLES = ("programme", "event", "criteria_sheet", "review_criterion")


class ExportCancelled(SyncError):
    pass


@dataclass
class ExportResult:
    path: Path
    kind: str
    sequence: int
    receiver: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    sha256: str = ""
    personal_data: str = "full"

    @property
    def total(self) -> int:
        return sum(c["records"] for c in self.counts.values())


def utc_now_text() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def party_of(profile: Profile, keys: KeyPair) -> dict:
    return {"installation_id": profile.installation_id, "name": profile.name, "role": profile.role,
            "municipality_code": profile.municipality_code, "key_id": keys.fingerprint}


def receiver_of(partner: SyncPartner | None) -> dict | None:
    if partner is None:
        return None
    return {"installation_id": partner.installation_id, "name": partner.name, "role": partner.role,
            "municipality_code": partner.municipality_code, "key_id": partner.fingerprint}


def seal_package(header: dict, parts: dict[str, bytes], keys: KeyPair, receiver: SyncPartner | None) -> bytes:
    plain = payload.build(parts)
    if receiver is None:
        header["encryption"] = {"scheme": "none"}
        return envelope.seal(header, plain, keys.signing, keys.fingerprint)
    block, seal_fn = envelope.encrypt_for(bytes.fromhex(receiver.encrypt_key), header["package_id"])
    header["encryption"] = block
    return envelope.seal(header, lambda header_bytes: seal_fn(plain, header_bytes), keys.signing, keys.fingerprint)


def _collect(s: Session, tables, where, keep, progress: Progress | None, cancelled: Cancelled | None,
             transform: dict | None = None):
    """Part name → JSON lines, and the counts, for the rows each table's ``where`` selects."""
    parts, counts, listing = {}, {}, {}
    for n, table in enumerate(tables):
        if cancelled and cancelled():
            raise ExportCancelled("Выгрузка отменена; пакет не создан.")
        if progress:
            progress(n / max(len(tables), 1), f"Выгрузка: {table.name}")
        cols = payload_columns(table)
        rows = [r for r in s.execute(select(*cols).where(where(table)).order_by(table.c.id)).mappings() if keep(r)]
        if not rows:
            continue
        if transform and table.name in transform:
            rows = [transform[table.name](dict(r)) for r in rows]
        name = payload.part_name(table.name)
        parts[name] = encode_rows(table, rows)
        listing[name] = len(rows)
        counts[table.name] = {"records": len(rows), "deleted": sum(1 for r in rows if r["deleted_at"] is not None)}
    return parts, counts, listing


def export_delta(db: Database, out: Path, to: str | None = None, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None, personal_data: str = "full") -> ExportResult:
    level = pd.check_level(personal_data)
    if progress:
        progress(0.0, "Ожидание завершения записи других пользователей")
    settled = settled_change_seq(db.engine)      # before the snapshot below is taken
    with db.read() as s:
        profile = require_profile(s)
        if profile.is_region:
            raise SyncError("Региональный центр выгружает каталог для муниципалитетов: sync export --catalogue.")
        keys = load_keys(profile)
        receiver = find_receiver(s, to, "region")
        s.expunge(receiver)  # used after this read unit of work ends
        if receiver.role != "region":
            raise SyncError(f"Пакет изменений отправляется в региональный центр, а «{receiver.name}» — не он.")
        channel = out_channel(s, receiver.installation_id, "delta")
        # A level other than the acknowledged package's starts again from everything: the region
        # holds the rows at that other level (or none), and must receive all of them at this one.
        since = channel.acknowledged_upto if channel.acknowledged_level == level else 0
        restored_at = restart_pending(s, receiver.installation_id)
        if restored_at is not None:
            since = 0
        upto = last_change_seq(s) if settled is None else settled
        code = profile.municipality_code
        extra = {}
        if level == "aggregates":
            if progress:
                progress(0.1, "Подсчёт сводных показателей")
            figures = aggregates.compute(s, date.today())
            parts, counts, listing = {aggregates.PART: aggregates.encode(figures)}, {}, {aggregates.PART: len(figures)}
            since = 0
        else:
            transform = None
            if level == "pseudonymised":
                secret = pd.secret_for_export(s, profile)
                extra["pseudonym_key_id"] = pd.key_id(secret)
                transform = pd.transforms(secret)
            parts, counts, listing = _collect(
                s, synced_tables(), lambda t: (t.c.change_seq > since) & (t.c.change_seq <= upto),
                lambda r: r["origin"] == code, progress, cancelled, transform)
    header = {
        "format": "metodset-sync", "format_version": envelope.FORMAT_VERSION, "kind": "delta",
        "package_id": str(uuid.uuid4()), "schema_revision": HEAD_REVISION, "created_at": utc_now_text(),
        "sender": party_of(profile, keys), "receiver": receiver_of(receiver),
        "sequence": channel.last_sequence + 1, "previous_sha256": channel.last_sha256,
        "acknowledged_sequence": channel.acknowledged_sequence, "since_change_seq": since,
        "upto_change_seq": upto, "snapshot": since == 0, "personal_data": level,
        "counts": counts, "parts": payload.describe(parts, listing), **extra,
    }
    if restored_at is not None and level != "aggregates":
        header["restart"] = {"restored_at": restored_at}
    return _finish(db, out, header, parts, keys, receiver, counts, progress)


def restart_pending(s: Session, receiver_id: str) -> str | None:
    """When the database was restored from a backup and no package written since has been acknowledged:
    the region has seen packages this copy never made, so the chain starts again with a snapshot
    (``restart``); the time of the restore, or None."""
    from app.services.maintenance.backups import RESTORED_AT_KEY, RESTORED_LEDGER_KEY

    meta = {k: v for k, v in s.execute(select(AppMeta.key, AppMeta.value).where(
        AppMeta.key.in_((RESTORED_AT_KEY, RESTORED_LEDGER_KEY))))}
    restored = meta.get(RESTORED_AT_KEY)
    try:
        last_before = int(meta.get(RESTORED_LEDGER_KEY, ""))
    except ValueError:
        return None
    if not restored:
        return None
    sent = (SyncPackage.direction == "out") & (SyncPackage.kind == "delta") & (SyncPackage.partner_id == receiver_id)
    if s.scalar(select(SyncPackage.id).where(sent).limit(1)) is None:
        return None         # nothing was ever sent from this copy: the first package is a snapshot anyway
    acknowledged = s.scalar(select(SyncPackage.id).where(
        sent, SyncPackage.id > last_before, SyncPackage.acknowledged_at.is_not(None)).limit(1))
    return None if acknowledged is not None else restored


def _finish(db: Database, out: Path, header: dict, parts: dict, keys: KeyPair, receiver: SyncPartner | None,
            counts: dict, progress: Progress | None) -> ExportResult:
    if progress:
        progress(0.9, "Шифрование и подпись")
    data = seal_package(header, parts, keys, receiver)
    digest = envelope.sha256(data)
    partner_id = receiver.installation_id if receiver else "*"
    # The number is taken in the log first: a file that then fails to be
    # written wastes a number, but a number is never given to two packages.
    with db.session() as s:
        if out_channel(s, partner_id, header["kind"]).last_sequence >= header["sequence"]:
            raise SyncError("Пока готовился пакет, другой пакет этому получателю уже был выгружен; повторите.")
        record(s, direction="out", kind=header["kind"], header=header, partner_id=partner_id,
               partner_code=receiver.municipality_code if receiver else "", sha256=digest, counts=counts)
    envelope.write_atomic(out, data)
    if progress:
        progress(1.0, "Готово")
    return ExportResult(Path(out), header["kind"], header["sequence"], receiver.name if receiver else "всем",
                        counts, digest, header["personal_data"])


def _closure(s: Session, selected: dict[str, set[str]]) -> dict[str, set[str]]:
    """Adds the rows the selected ones point to, so that foreign keys resolve at the receiver."""
    tables = {t.name: t for t in synced_tables()}
    for table in reversed(synced_tables()):
        ids = selected.get(table.name)
        if not ids:
            continue
        for col in table.c:
            for fk in col.foreign_keys:
                target = fk.column.table.name
                if target not in tables:
                    continue
                id_list = list(ids)
                for start in range(0, len(id_list), 500):
                    chunk = id_list[start:start + 500]
                    refs = s.scalars(select(col).where(table.c.id.in_(chunk), col.is_not(None))).all()
                    selected.setdefault(target, set()).update(refs)
    return selected


def export_catalogue(db: Database, out: Path, to: str | None = None, *, progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> ExportResult:
    with db.read() as s:
        profile = require_profile(s)
        if not profile.is_region:
            raise SyncError("Каталог (программы, план мероприятий) выгружает только региональный центр.")
        keys = load_keys(profile)
        receiver = find_receiver(s, to, "municipal") if to else None
        if receiver is not None:
            s.expunge(receiver)
        code = profile.municipality_code
        tables = {t.name: t for t in synced_tables()}
        selected = {name: set(s.scalars(select(tables[name].c.id).where(tables[name].c.origin == code)))
                    for name in CATALOGUE_TABLES if name in tables}
        selected = _closure(s, selected)
        parts, counts, listing = {}, {}, {}
        for table in (t for t in synced_tables() if selected.get(t.name)):
            if cancelled and cancelled():
                raise ExportCancelled("Выгрузка отменена; пакет не создан.")
            ids = sorted(selected[table.name])
            rows = []
            for i in range(0, len(ids), 500):
                rows += s.execute(select(*payload_columns(table)).where(table.c.id.in_(ids[i:i + 500]))).mappings().all()
            name = payload.part_name(table.name)
            parts[name] = encode_rows(table, rows)
            listing[name] = len(rows)
            counts[table.name] = {"records": len(rows),
                                  "deleted": sum(1 for r in rows if r["deleted_at"] is not None)}
        if receiver is not None:
            # Encrypted for this one municipality: the region's pseudonymisation key goes with it.
            parts[pd.KEY_PART] = pd.key_part(region_secret(profile))
            listing[pd.KEY_PART] = 1
        # One numbering for every catalogue, addressed or not: a municipality sees both kinds
        # in one incoming channel and takes only a number above the last one it loaded.
        sequence = count_out(s, "catalogue") + 1
    header = {
        "format": "metodset-sync", "format_version": envelope.FORMAT_VERSION, "kind": "catalogue",
        "package_id": str(uuid.uuid4()), "schema_revision": HEAD_REVISION, "created_at": utc_now_text(),
        "sender": party_of(profile, keys), "receiver": receiver_of(receiver), "sequence": sequence,
        "previous_sha256": None, "acknowledged_sequence": 0, "since_change_seq": 0, "upto_change_seq": 0,
        "snapshot": True, "personal_data": "none", "counts": counts, "parts": payload.describe(parts, listing),
    }
    return _finish(db, out, header, parts, keys, receiver, counts, progress)
