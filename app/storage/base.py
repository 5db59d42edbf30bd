"""Declarative base and the columns every synchronised row carries.

Conventions (DESIGN.md §3, SYNC.md): a UUID primary key that never collides
across installations, the municipality the row originates from, UTC
timestamps, a per-row version, a per-installation change counter, and a
``deleted_at`` tombstone instead of a physical DELETE so that deletions travel
in sync packages and can be restored from the recycle bin.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints: SQLite leaves them unnamed and Alembic's batch mode
# would silently drop unnamed CHECKs while rebuilding a table.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Synced:
    """Mixin for every row that travels in sync packages."""

    # Columns whose normalised text makes up ``search_key``; empty = no search.
    __search_fields__: tuple[str, ...] = ()

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    origin: Mapped[str] = mapped_column(String(16), index=True, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    change_seq: Mapped[int] = mapped_column(Integer, default=0, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # Every UPDATE of a row says which version it replaces (… WHERE row_version = :old): a save over a row
        # another user saved meanwhile changes nothing and raises StaleDataError instead of losing their work.
        # The number itself is set by Database._stamp_changes, hence no generator.
        return {"version_id_col": cls.__table__.c.row_version, "version_id_generator": False}


class Searchable:
    search_key: Mapped[str] = mapped_column(String, default="", index=False)
