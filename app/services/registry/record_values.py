"""Values a user or a file brings for one record, checked and normalised before anything is written."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.domain.validators import ValidationError
from app.services.common.errors import FieldError, ValidationFailed
from app.services.common.fields import REF, normalize
from app.services.registry import pd_status
from app.services.registry.credits_fill import with_computed_credits
from app.services.registry.record_access import find
from app.services.registry.record_rules import ENTITY_CHECKS, row_errors
from app.services.registry.specs import EntitySpec, spec_for
from app.storage.database import Database


def clean_values(db: Database, s: Session, spec: EntitySpec, values: dict[str, Any], existing) -> dict[str, Any]:
    """The normalised values to store, or ValidationFailed naming every problem at once.

    ``existing``: the stored record an update changes (None for a new one): its
    fields count in the rules that involve several fields or other records."""
    values = with_computed_credits(s, spec.name, values, existing)
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    known = {f.name for f in spec.fields}
    for key in values:
        if key not in known:
            errors.append(FieldError(key, key, f"у записи «{spec.singular}» нет такого поля"))
    for f in spec.fields:
        if f.name not in values:
            if existing is None and f.required:
                errors.append(FieldError(f.name, f.label, "обязательное поле не заполнено"))
            continue
        try:
            clean[f.name] = normalize(f, values[f.name])
        except ValidationError as exc:
            errors.append(FieldError(f.name, f.label, str(exc)))
            continue
        if clean[f.name] is None:
            column = spec.model.__table__.c[f.name]
            if not column.nullable:
                # An optional field with a stored default (a category, hours …)
                # cleared by the user goes back to that default.
                default = column.default.arg if column.default is not None else None
                if default is None or callable(default):
                    errors.append(FieldError(f.name, f.label, "обязательное поле не заполнено"))
                    continue
                clean[f.name] = default
        if f.kind == REF and clean[f.name] and find(db, s, spec_for(f.ref), clean[f.name]) is None:
            target = spec_for(f.ref)
            errors.append(FieldError(f.name, f.label, f"не найдена запись ({target.singular}) {clean[f.name]}"))
    if not errors:
        merged = {f.name: getattr(existing, f.name) for f in spec.fields} if existing is not None else {}
        merged.update(clean)
        errors.extend(record_errors(s, spec, merged, existing.id if existing is not None else None))
    if errors:
        raise ValidationFailed(errors)
    return pd_status.with_reported_date(spec.name, clean)


def record_errors(s: Session, spec: EntitySpec, rec: dict[str, Any], own_id: str | None) -> list[FieldError]:
    """The rules over the whole record: between its fields, and against other records (duplicates)."""
    errors = row_errors(spec, rec)
    for check in ENTITY_CHECKS.get(spec.name, ()):
        errors.extend(check(s, spec, rec, own_id))
    return errors
