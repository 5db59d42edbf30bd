"""The network itself: municipalities, organisations, their roles, agreements, requests."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage.base import Base, Searchable, Synced


class Municipality(Synced, Base):
    __tablename__ = "municipality"
    __search_fields__ = ("code", "name")

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    region: Mapped[str] = mapped_column(String(255), default="")


class Organization(Synced, Searchable, Base):
    __tablename__ = "organization"
    __search_fields__ = ("full_name", "short_name", "inn", "address")

    full_name: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(32))
    inn: Mapped[str | None] = mapped_column(String(12), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str] = mapped_column(String(255), default="")
    head_name: Mapped[str] = mapped_column(String(255), default="")
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    roles: Mapped[list["OrganizationRole"]] = relationship(back_populates="organization")


class OrganizationRole(Synced, Base):
    """A network role (ресурсный центр, стажировочная площадка …) held for a period."""

    __tablename__ = "organization_role"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    order_number: Mapped[str] = mapped_column(String(64), default="")

    organization: Mapped[Organization] = relationship(back_populates="roles")


class Agreement(Synced, Searchable, Base):
    __tablename__ = "agreement"
    __search_fields__ = ("number", "subject")

    number: Mapped[str] = mapped_column(String(64))
    signed_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")


class AgreementParty(Synced, Base):
    __tablename__ = "agreement_party"

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreement.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    party_role: Mapped[str] = mapped_column(String(64), default="Сторона")


class InfoRequest(Synced, Searchable, Base):
    """A request within the network; the mandatory fields of seed 003 §18."""

    __tablename__ = "info_request"
    __search_fields__ = ("number", "subject", "prepared_by_name")

    number: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    sender_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    addressee_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    reply_contact: Mapped[str] = mapped_column(String(255))
    sent_on: Mapped[date] = mapped_column(Date)
    prepared_by_name: Mapped[str] = mapped_column(String(255))
    prepared_by_position: Mapped[str] = mapped_column(String(255))
    prepared_by_phone: Mapped[str] = mapped_column(String(16))
    prepared_by_email: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    answered_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str] = mapped_column(Text, default="")


Index("ix_organization_kind", Organization.kind)
