"""Teachers and mentoring pairs."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.base import Base, Searchable, Synced


class Teacher(Synced, Searchable, Base):
    __tablename__ = "teacher"
    __search_fields__ = ("last_name", "first_name", "middle_name", "snils", "email")

    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    # Canonical «XXX-XXX-XXX YY»; the identity of a person across municipalities.
    snils: Mapped[str | None] = mapped_column(String(14), index=True)
    # Region only: HMAC-SHA256 of the СНИЛС under the region's pseudonymisation key
    # (docs/sync-format.md §9); matches a pseudonymised teacher across municipalities.
    snils_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(16))
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    position: Mapped[str] = mapped_column(String(255), default="")
    subjects: Mapped[str] = mapped_column(String(500), default="")
    qualification_category: Mapped[str] = mapped_column(String(16), default="none")
    category_until: Mapped[date | None] = mapped_column(Date)
    career_start: Mapped[date | None] = mapped_column(Date)
    hired_on: Mapped[date | None] = mapped_column(Date)
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_basis: Mapped[str] = mapped_column(String(255), default="")
    # Derived from completed formal items; kept on the row so that "who is
    # due" over 100,000 teachers is an indexed query, not a join per row.
    last_pd_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The last PD by the teacher's documents (typed or imported); last_pd_on also counts the routes.
    pd_reported_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class Mentorship(Synced, Base):
    __tablename__ = "mentorship"

    mentor_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)
    mentee_id: Mapped[str] = mapped_column(ForeignKey("teacher.id"), index=True)
    form: Mapped[str] = mapped_column(String(32))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    order_number: Mapped[str] = mapped_column(String(64), default="")
    goals: Mapped[str] = mapped_column(Text, default="")


# Covering indexes for the 100,000-row list: the default order and the
# substring search read only these narrow indexes, never the wide rows.
Index("ix_teacher_order", Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.id,
      Teacher.deleted_at)
Index("ix_teacher_search", Teacher.search_key, Teacher.deleted_at, Teacher.id, Teacher.organization_id)
# Probable-duplicate checks look teachers up by birth date while a form is typed.
Index("ix_teacher_birth_date", Teacher.birth_date)
