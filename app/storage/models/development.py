"""Professional development: programmes, diagnostics of deficits, routes (ИОМ)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Searchable, Synced


class Programme(Synced, Searchable, Base):
    __tablename__ = "programme"
    __search_fields__ = ("title", "provider_name", "registry_number")

    title: Mapped[str] = mapped_column(String(500))
    provider_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    provider_name: Mapped[str] = mapped_column(String(500), default="")
    hours: Mapped[int] = mapped_column(Integer)
    credits: Mapped[float] = mapped_column(Float)
    form: Mapped[str] = mapped_column(String(16))
    registry_number: Mapped[str] = mapped_column(String(64), default="")
    certification_status: Mapped[str] = mapped_column(String(16), default="none")
    certified_until: Mapped[date | None] = mapped_column(Date)
    # Competence codes (app.domain.enums.COMPETENCES), comma-separated.
    competences: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class Diagnostic(Synced, Base):
    __tablename__ = "diagnostic"

    teacher_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    instrument: Mapped[str] = mapped_column(String(255))
    notes: Mapped[str] = mapped_column(Text, default="")


class DiagnosticResult(Synced, Base):
    """The level reached in one competence; ``is_deficit`` marks a professional deficit."""

    __tablename__ = "diagnostic_result"

    diagnostic_id: Mapped[str] = mapped_column(ForeignKey("diagnostic.id"), index=True)
    competence: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float, default=100.0)
    is_deficit: Mapped[bool] = mapped_column(default=False)
    proposed_programme_id: Mapped[str | None] = mapped_column(ForeignKey("programme.id"))


class Trajectory(Synced, Base):
    """An individual educational route (ИОМ) of one teacher for a period."""

    __tablename__ = "trajectory"

    teacher_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)
    diagnostic_id: Mapped[str | None] = mapped_column(ForeignKey("diagnostic.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    goals: Mapped[str] = mapped_column(Text, default="")
    deficits: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16), default="draft")


class TrajectoryItem(Synced, Base):
    __tablename__ = "trajectory_item"

    trajectory_id: Mapped[str] = mapped_column(ForeignKey("trajectory.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    formality: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(500))
    programme_id: Mapped[str | None] = mapped_column(ForeignKey("programme.id"), index=True)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("event.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    mentorship_id: Mapped[str | None] = mapped_column(ForeignKey("mentorship.id"))
    status: Mapped[str] = mapped_column(String(16), default="planned")
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    credits: Mapped[float] = mapped_column(Float, default=0.0)
    document_number: Mapped[str] = mapped_column(String(64), default="")
    document_date: Mapped[date | None] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
