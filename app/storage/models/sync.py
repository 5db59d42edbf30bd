"""Local bookkeeping of the exchange with the region; none of it travels as records.

``SyncPartner`` is the trust store (public keys only), ``SyncPackage`` the log of
every package written or applied (the sequence chain, acknowledgements and
the region's "last package per municipality"), ``SyncIdentity`` maps a second
municipality's UUID of the same teacher (matched by СНИЛС) to the row kept.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, utcnow


class SyncPartner(Base):
    __tablename__ = "sync_partner"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    installation_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    municipality_code: Mapped[str] = mapped_column(String(16))
    # Raw public keys, hex: Ed25519 (signatures) and X25519 (encryption to the partner).
    sign_key: Mapped[str] = mapped_column(String(64))
    encrypt_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    trusted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)


class SyncPackage(Base):
    """One package written here (``out``) or applied here (``in``)."""

    __tablename__ = "sync_package"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    # The other side of the channel (its installation id).
    partner_id: Mapped[str] = mapped_column(String(36), index=True)
    partner_code: Mapped[str] = mapped_column(String(16), default="")
    sequence: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    since_change_seq: Mapped[int] = mapped_column(Integer, default=0)
    upto_change_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    processed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # For an outgoing package: when the receiver's receipt was imported.
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    counts: Mapped[str] = mapped_column(Text, default="{}")
    # How much personal data the package carried: full, pseudonymised, aggregates (none for
    # receipts and catalogues); a delta after a package of another level starts from zero.
    personal_data: Mapped[str] = mapped_column(String(16), default="full")


class SyncIdentity(Base):
    """One municipality's UUID for a teacher kept at the region under ``teacher_id``."""

    __tablename__ = "sync_identity"

    source_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    teacher_id: Mapped[str] = mapped_column(String(36), index=True)
    origin: Mapped[str] = mapped_column(String(16))
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncAggregate(Base):
    """At the region: one organisation's figures from a municipality's «aggregates only» package.

    Each aggregates package replaces its municipality's previous figures.
    """

    __tablename__ = "sync_aggregate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    municipality_code: Mapped[str] = mapped_column(String(16), index=True)
    package_id: Mapped[str] = mapped_column(String(36))
    as_of: Mapped[date] = mapped_column(Date)
    organization_id: Mapped[str] = mapped_column(String(36))
    organization_name: Mapped[str] = mapped_column(String(500), default="")
    teachers: Mapped[int] = mapped_column(Integer, default=0)
    covered: Mapped[int] = mapped_column(Integer, default=0)
    due_soon: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)
    young: Mapped[int] = mapped_column(Integer, default=0)
    credits_by_year: Mapped[str] = mapped_column(Text, default="{}")
