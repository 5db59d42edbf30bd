"""Methodical materials (products of the network) and their expert review."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Searchable, Synced


class Material(Synced, Searchable, Base):
    __tablename__ = "material"
    __search_fields__ = ("title", "subject", "keywords", "description")

    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    community_id: Mapped[str | None] = mapped_column(ForeignKey("community.id"))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"))
    subject: Mapped[str] = mapped_column(String(255), default="")
    level: Mapped[str] = mapped_column(String(16), default="")
    keywords: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")
    submitted_on: Mapped[date | None] = mapped_column(Date)
    # The round of экспертиза the material is in; a revised version starts the next one.
    current_round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class MaterialAuthor(Synced, Base):
    __tablename__ = "material_author"

    material_id: Mapped[str] = mapped_column(ForeignKey("material.id"), index=True)
    teacher_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)


class MaterialFile(Synced, Base):
    """A file attached to a material; the bytes live in the file store under their SHA-256."""

    __tablename__ = "material_file"

    material_id: Mapped[str] = mapped_column(ForeignKey("material.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The version of the material the file belongs to (the review round it was submitted for).
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Review(Synced, Base):
    """One expert's review of a material in one round of экспертиза."""

    __tablename__ = "review"

    material_id: Mapped[str] = mapped_column(ForeignKey("material.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    expert_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)
    assigned_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    # Criterion code → score, as JSON text (the criteria sheet is configurable).
    scores: Mapped[str] = mapped_column(Text, default="{}")
    total_score: Mapped[float | None] = mapped_column(Float)
    conclusion: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(16), default="pending")
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The criteria sheet the expert scores by (fixed when the expert is assigned).
    sheet_id: Mapped[str | None] = mapped_column(ForeignKey("criteria_sheet.id"))


class CriteriaSheet(Synced, Base):
    """A configurable sheet of review criteria (лист экспертной оценки)."""

    __tablename__ = "criteria_sheet"

    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class ReviewCriterion(Synced, Base):
    __tablename__ = "review_criterion"

    sheet_id: Mapped[str] = mapped_column(ForeignKey("criteria_sheet.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(500))
    max_score: Mapped[float] = mapped_column(Float)


class MaterialDecision(Synced, Base):
    """The council's decision on a material in one round; the rows make up its history."""

    __tablename__ = "material_decision"

    material_id: Mapped[str] = mapped_column(ForeignKey("material.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(128), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    protocol_number: Mapped[str] = mapped_column(String(64), default="")
