"""Personal data (152-ФЗ): who sees it unmasked, masking in lists and exports.

Accounts without the right «видеть персональные данные без маскирования»
(эксперт, наблюдатель) always get СНИЛС, phone and e-mail masked by the
services. Exports and reports mask for everybody unless the user asks for the
full values and has the right (``export_unmasked``).
Erasure on request (обезличивание) lives in app/services/accounts/anonymize.py.
"""
from __future__ import annotations

from typing import Any, Iterable

from app.domain.masking import masked
from app.services.access.permissions import SEE_PERSONAL_DATA, can_see_personal_data, current, require
from app.storage.database import Database

# Entity → its personal-data fields that masking.masked() knows how to mask.
PERSONAL_FIELDS = {"teachers": ("snils", "phone", "email")}


def sees_personal_data(db: Database) -> bool:
    return can_see_personal_data(current(db))


def mask_row(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    for name in PERSONAL_FIELDS.get(entity, ()):
        # Already masked (by the services for this account) stays as it is.
        if row.get(name) and "*" not in str(row[name]):
            row[name] = masked(name, row[name])
    return row


def mask_for_account(db: Database, entity: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as this account may see them on screen."""
    rows = list(rows)
    if entity in PERSONAL_FIELDS and not sees_personal_data(db):
        for row in rows:
            mask_row(entity, row)
    return rows


def export_unmasked(db: Database, unmasked: bool) -> bool:
    """Whether an export shows full values: only when asked for and allowed (else «Недостаточно прав»)."""
    if unmasked:
        require(db, SEE_PERSONAL_DATA, "выгружать персональные данные без маскирования")
    return unmasked


def mask_for_export(db: Database, entity: str, rows: Iterable[dict[str, Any]], unmasked: bool = False
                    ) -> list[dict[str, Any]]:
    rows = list(rows)
    if not export_unmasked(db, unmasked):
        for row in rows:
            mask_row(entity, row)
    return rows
