"""The register of certificates of participation: what each issued certificate says, frozen at issue."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Searchable, Synced


class Certificate(Synced, Searchable, Base):
    """One issued certificate. The text columns are a snapshot of what the PDF says,
    so verification shows the register's wording even if the event or the teacher
    is edited later, and an edited PDF disagrees with it."""

    __tablename__ = "certificate"
    __search_fields__ = ("number", "verification_code", "recipient_name", "organization_name", "event_title")

    # Few indexes: the demo writes tens of thousands of rows, and the register is searched by search_key.
    number: Mapped[str] = mapped_column(String(32))                       # «2026-000123»
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)  # 10 symbols, no dashes
    participation_id: Mapped[str] = mapped_column(ForeignKey("participation.id"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("teacher.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    recipient_name: Mapped[str] = mapped_column(String(500))
    organization_name: Mapped[str] = mapped_column(String(500), default="")
    event_title: Mapped[str] = mapped_column(String(500))
    event_kind: Mapped[str] = mapped_column(String(100), default="")       # the Russian label as printed
    event_starts_on: Mapped[date] = mapped_column(Date)
    event_ends_on: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    role: Mapped[str] = mapped_column(String(100), default="")             # the Russian label as printed
    organizer: Mapped[str] = mapped_column(String(1000), default="")
    signer_name: Mapped[str] = mapped_column(String(255), default="")     # under the signature line
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(128), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str] = mapped_column(String(128), default="")
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
