"""Rules of one kind of record that involve more than one field (ROW_CHECKS) or other records (ENTITY_CHECKS).

RecordService runs both on create and update after the per-field checks; each
returns the FieldErrors it finds, worded for the form. The row rules need no
session, so the sync inbound checks apply the same ones to every package row.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.validators import format_date
from app.domain.wording import plural
from app.services.common.errors import FieldError
from app.services.registry.specs import EntitySpec


# (start, end) pairs checked in any entity that has both.
DATE_RANGES = (
    ("starts_on", "ends_on"), ("period_start", "period_end"), ("valid_from", "valid_to"),
    ("since", "until"), ("planned_start", "planned_end"), ("actual_start", "actual_end"),
    ("sent_on", "answered_on"), ("joined_on", "left_on"), ("assigned_on", "decided_on"),
)


def _date_ranges(spec: EntitySpec, rec: dict) -> list[FieldError]:
    errors = []
    for start, end in DATE_RANGES:
        if spec.has_field(start) and spec.has_field(end):
            a, b = rec.get(start), rec.get(end)
            if isinstance(a, date) and isinstance(b, date) and b < a:
                errors.append(FieldError(end, spec.field(end).label,
                                         f"не может быть раньше, чем «{spec.field(start).label}»"))
    return errors


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _plausible_age(spec: EntitySpec, rec: dict) -> list[FieldError]:
    birth = rec.get("birth_date")
    if isinstance(birth, date):
        if birth > date.today():
            return [FieldError("birth_date", "Дата рождения", f"{format_date(birth)} — дата в будущем")]
        age = _years_between(birth, date.today())
        if not 14 <= age <= 100:
            return [FieldError("birth_date", "Дата рождения",
                               f"возраст {age} {plural(age, 'год', 'года', 'лет')} неправдоподобен")]
    return []


# A teacher's own dates that cannot come before the age of 14 (a year «30» read as 1930, a day and month swapped).
_WORKING_DATES = ("career_start", "hired_on")


def _work_after_childhood(spec: EntitySpec, rec: dict) -> list[FieldError]:
    birth = rec.get("birth_date")
    if not isinstance(birth, date):
        return []
    errors = []
    for name in _WORKING_DATES:
        when = rec.get(name)
        if spec.has_field(name) and isinstance(when, date) and _years_between(birth, when) < 14:
            label = spec.field(name).label
            errors.append(FieldError(name, label, (
                f"{format_date(when)} — раньше, чем педагогу исполнилось 14 лет (дата рождения "
                f"{format_date(birth)}); проверьте год")))
    return errors


def _one_of_teacher_or_organization(spec, rec) -> list[FieldError]:
    if not rec.get("teacher_id") and not rec.get("organization_id"):
        return [FieldError("teacher_id", "Педагог", "укажите педагога или организацию")]
    return []


def _mentor_is_not_mentee(spec, rec) -> list[FieldError]:
    if rec.get("mentor_id") and rec.get("mentor_id") == rec.get("mentee_id"):
        return [FieldError("mentee_id", "Наставляемый", "наставник и наставляемый должны быть разными людьми")]
    return []


def _sender_is_not_addressee(spec, rec) -> list[FieldError]:
    if rec.get("sender_id") and rec.get("sender_id") == rec.get("addressee_id"):
        return [FieldError("addressee_id", "Адресат", "совпадает с отправителем")]
    return []


ROW_CHECKS = {
    "teachers": (_plausible_age, _work_after_childhood),
    "participations": (_one_of_teacher_or_organization,),
    "community_members": (_one_of_teacher_or_organization,),
    "mentorships": (_mentor_is_not_mentee,),
    "requests": (_sender_is_not_addressee,),
}


def row_errors(spec: EntitySpec, rec: dict) -> list[FieldError]:
    """What a form would refuse in this one record, looking at its own fields only."""
    errors = _date_ranges(spec, rec)
    for check in ROW_CHECKS.get(spec.name, ()):
        errors.extend(check(spec, rec))
    return errors


def _unique_snils(s: Session, spec: EntitySpec, rec: dict, own_id: str | None) -> list[FieldError]:
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
    return errors


ENTITY_CHECKS = {
    "teachers": (_unique_snils,),
}
