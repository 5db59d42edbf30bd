"""The life of the network: communities, events and who took part, network courses."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Searchable, Synced


class Community(Synced, Searchable, Base):
    __tablename__ = "community"
    __search_fields__ = ("name", "problem")

    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))
    problem: Mapped[str] = mapped_column(Text, default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    decision_number: Mapped[str] = mapped_column(String(64), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    moderator_id: Mapped[str | None] = mapped_column(ForeignKey("teacher.id"))
    base_organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    subject: Mapped[str] = mapped_column(String(255), default="")


class CommunityMember(Synced, Base):
    """A teacher or an organisation belonging to a community."""

    __tablename__ = "community_member"

    community_id: Mapped[str] = mapped_column(ForeignKey("community.id"), index=True)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("teacher.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="member")
    joined_on: Mapped[date | None] = mapped_column(Date)


class Event(Synced, Searchable, Base):
    __tablename__ = "event"
    __search_fields__ = ("title", "venue", "audience")

    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(500), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    audience: Mapped[str] = mapped_column(String(500), default="")
    community_id: Mapped[str | None] = mapped_column(ForeignKey("community.id"), index=True)
    plan_year: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    description: Mapped[str] = mapped_column(Text, default="")
    # Meetings created together as a recurring series (an РМО meeting monthly) share this id.
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)


class EventFile(Synced, Base):
    """A file attached to an event (the minutes, a programme); the bytes live in the file store."""

    __tablename__ = "event_file"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="minutes")


class EventOrganizer(Synced, Base):
    __tablename__ = "event_organizer"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)


class Participation(Synced, Base):
    """A teacher or an organisation taking part in an event."""

    __tablename__ = "participation"

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), index=True)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("teacher.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="participant")
    attendance: Mapped[str] = mapped_column(String(16), default="unknown")
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    certificate_number: Mapped[str] = mapped_column(String(64), default="")


class NetworkCourse(Synced, Searchable, Base):
    """A network (elective) course of profile education; aggregates only, no pupils' data."""

    __tablename__ = "network_course"
    __search_fields__ = ("title", "subject", "profile")

    title: Mapped[str] = mapped_column(String(500))
    host_organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("teacher.id"))
    subject: Mapped[str] = mapped_column(String(255), default="")
    profile: Mapped[str] = mapped_column(String(255), default="")
    academic_year: Mapped[str] = mapped_column(String(9))
    hours: Mapped[int] = mapped_column(Integer, default=0)
    form: Mapped[str] = mapped_column(String(16), default="network")
    # Sum of the enrolments, kept by the services so that the ≥ 10 pupils rule is a plain comparison.
    pupils_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CourseEnrolment(Synced, Base):
    __tablename__ = "course_enrolment"

    course_id: Mapped[str] = mapped_column(ForeignKey("network_course.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    pupils: Mapped[int] = mapped_column(Integer)
