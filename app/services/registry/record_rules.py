"""Rules of one kind of record that involve more than one field or other records (ENTITY_CHECKS).

RecordService runs them on create and update after the per-field checks; each
returns the FieldErrors it finds, worded for the form.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.common.errors import FieldError
from app.services.registry.specs import EntitySpec


def _teacher_checks(s: Session, spec: EntitySpec, rec: dict, own_id: str | None) -> list[FieldError]:
    from app.domain.names import initials
    from app.storage.models import Teacher

    errors = []
    snils = rec.get("snils")
    if snils:
        stmt = select(Teacher).where(Teacher.snils == snils, Teacher.deleted_at.is_(None))
        if own_id:
            stmt = stmt.where(Teacher.id != own_id)
        other = s.scalars(stmt.limit(1)).first()
        if other is not None:
            errors.append(FieldError("snils", "СНИЛС", (
                f"педагог с этим СНИЛС уже есть: {initials(other.last_name, other.first_name, other.middle_name)}"
                f" (id {other.id})")))
    birth = rec.get("birth_date")
    if birth is not None:
        today = date.today()
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if not 14 <= age <= 100:
            errors.append(FieldError("birth_date", "Дата рождения", f"возраст {age} лет неправдоподобен"))
    return errors


def _one_of_teacher_or_organization(s, spec, rec, own_id) -> list[FieldError]:
    if not rec.get("teacher_id") and not rec.get("organization_id"):
        return [FieldError("teacher_id", "Педагог", "укажите педагога или организацию")]
    return []


def _mentor_is_not_mentee(s, spec, rec, own_id) -> list[FieldError]:
    if rec.get("mentor_id") and rec.get("mentor_id") == rec.get("mentee_id"):
        return [FieldError("mentee_id", "Наставляемый", "наставник и наставляемый должны быть разными людьми")]
    return []


def _sender_is_not_addressee(s, spec, rec, own_id) -> list[FieldError]:
    if rec.get("sender_id") and rec.get("sender_id") == rec.get("addressee_id"):
        return [FieldError("addressee_id", "Адресат", "совпадает с отправителем")]
    return []


ENTITY_CHECKS = {
    "teachers": (_teacher_checks,),
    "participations": (_one_of_teacher_or_organization,),
    "community_members": (_one_of_teacher_or_organization,),
    "mentorships": (_mentor_is_not_mentee,),
    "requests": (_sender_is_not_addressee,),
}
