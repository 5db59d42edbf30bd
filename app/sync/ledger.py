"""The package log: sequence numbers, the hash chain and acknowledgements per channel."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.storage.models import SyncPackage


@dataclass(frozen=True)
class OutChannel:
    last_sequence: int
    last_sha256: str | None
    acknowledged_sequence: int
    acknowledged_upto: int
    acknowledged_level: str = "full"


def out_channel(s: Session, partner_id: str, kind: str) -> OutChannel:
    def newest(*conditions):
        return s.scalars(select(SyncPackage).where(
            SyncPackage.direction == "out", SyncPackage.kind == kind, SyncPackage.partner_id == partner_id,
            *conditions).order_by(SyncPackage.sequence.desc()).limit(1)).first()

    last = newest()
    acked = newest(SyncPackage.acknowledged_at.is_not(None))
    return OutChannel(last.sequence if last else 0, last.sha256 if last else None,
                      acked.sequence if acked else 0, acked.upto_change_seq if acked else 0,
                      acked.personal_data if acked else "full")


def last_in(s: Session, partner_id: str, kind: str) -> SyncPackage | None:
    # The last applied, not the highest number: after a sender's restart (it restored a backup) its
    # chain goes on from the restart package, whose number may be lower than one applied before.
    return s.scalars(select(SyncPackage).where(
        SyncPackage.direction == "in", SyncPackage.kind == kind, SyncPackage.partner_id == partner_id)
        .order_by(SyncPackage.id.desc()).limit(1)).first()


def find(s: Session, direction: str, package_id: str | None = None, sha256: str | None = None) -> SyncPackage | None:
    stmt = select(SyncPackage).where(SyncPackage.direction == direction)
    if package_id is not None:
        stmt = stmt.where(SyncPackage.package_id == package_id)
    if sha256 is not None:
        stmt = stmt.where(SyncPackage.sha256 == sha256)
    return s.scalars(stmt.limit(1)).first()


def record(s: Session, *, direction: str, kind: str, header: dict, partner_id: str, partner_code: str,
           sha256: str, counts: dict) -> SyncPackage:
    from datetime import datetime

    row = SyncPackage(direction=direction, kind=kind, package_id=header["package_id"], partner_id=partner_id,
                      partner_code=partner_code, sequence=header["sequence"], sha256=sha256,
                      since_change_seq=header.get("since_change_seq", 0),
                      upto_change_seq=header.get("upto_change_seq", 0),
                      created_at=datetime.fromisoformat(header["created_at"]).replace(tzinfo=None),
                      counts=json.dumps(counts, ensure_ascii=False, sort_keys=True),
                      personal_data=header.get("personal_data") or "none")
    s.add(row)
    s.flush()
    return row


def history(s: Session, limit: int = 200) -> list[SyncPackage]:
    return list(s.scalars(select(SyncPackage).order_by(SyncPackage.id.desc()).limit(limit)))


def count_out(s: Session, kind: str) -> int:
    return s.scalar(select(func.count()).select_from(SyncPackage).where(
        SyncPackage.direction == "out", SyncPackage.kind == kind)) or 0
