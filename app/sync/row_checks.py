"""Incoming records checked with the same field rules as a typed form: a package row is hostile input.

The codec has already checked types, lengths, UUIDs, the range of numbers and
the years of dates; here every stored value of a declared field must pass the
field's normaliser (СНИЛС checksum, ИНН/ОГРН/КПП, letters in names, e-mail,
phone, list values, a form's bounds of a number: no negative hours); then the
rules a form applies across the fields of one record (an end before its start,
a mentor mentoring themselves, a participation of nobody). The first bad value
refuses the package, naming the table, the record and the field.
"""
from __future__ import annotations

from functools import lru_cache

from app.domain.validators import ValidationError
from app.services.common import fields as kinds
from app.services.common.fields import Field, normalize
from app.sync.errors import PackageRefused

# Kinds whose normaliser is a real check; free text is kept as typed (and escaped on export).
CHECKED_KINDS = frozenset({kinds.SNILS, kinds.INN, kinds.OGRN, kinds.KPP, kinds.EMAIL, kinds.PHONE, kinds.NAME,
                           kinds.ENUM, kinds.INT, kinds.FLOAT})


@lru_cache(maxsize=None)
def _declared() -> dict[str, tuple[tuple[Field, str], ...]]:
    """Table name → (field, the entity's Russian title) for every checked field declared over it."""
    from app.services.registry.specs import SPECS

    out: dict[str, dict[str, tuple[Field, str]]] = {}
    for spec in SPECS.values():
        table = spec.model.__table__.name
        for f in spec.fields:
            if f.kind in CHECKED_KINDS:
                out.setdefault(table, {}).setdefault(f.name, (f, spec.title))
    return {table: tuple(found.values()) for table, found in out.items()}


@lru_cache(maxsize=None)
def _spec_of_table() -> dict:
    from app.services.registry.specs import SPECS

    out = {}
    for spec in SPECS.values():
        out.setdefault(spec.model.__table__.name, spec)
    return out


def _problem(f: Field, value) -> str | None:
    try:
        clean = normalize(f, value)
    except ValidationError as exc:
        return str(exc)
    if f.kind == kinds.ENUM and clean != value:
        return f"«{value}» не код из списка допустимых значений"
    return None


def check_rows(table: str, rows: list[dict], where: str) -> None:
    """Refuses the package at the first row whose declared field a form would not accept."""
    _check_fields(table, rows, where)
    _check_across_fields(table, rows, where)


def _check_across_fields(table: str, rows: list[dict], where: str) -> None:
    from app.services.registry.record_rules import row_errors

    spec = _spec_of_table().get(table)
    if spec is None:
        return
    for rec in rows:
        errors = row_errors(spec, rec)
        if errors:
            e = errors[0]
            raise PackageRefused(f"{where}: таблица «{table}» ({spec.title}), запись {rec.get('id')}, "
                                 f"поле «{e.label}»: {e.message}. Пакет отклонён целиком.")


def _check_fields(table: str, rows: list[dict], where: str) -> None:
    checks = [(f, title) for f, title in _declared().get(table, ()) if rows and f.name in rows[0]]
    if not checks:
        return
    for rec in rows:
        for f, title in checks:
            value = rec[f.name]
            if value is None or value == "":
                continue        # presence is the codec's business (and pseudonymised rows are blank)
            problem = _problem(f, value)
            if problem:
                raise PackageRefused(f"{where}: таблица «{table}» ({title}), запись {rec.get('id')}, "
                                     f"поле «{f.label}»: {problem}. Пакет отклонён целиком.")
