"""Обезличивание: a teacher's personal data erased on request (152-ФЗ, ст. 21).

The teacher row stays — participations, credits, routes and reviews keep
pointing at it, so every count and total is unchanged — but ФИО becomes
«Обезличен №N» and СНИЛС, phone, e-mail, birth date and notes are cleared.
The audit log is scrubbed too: the teacher's own entries lose the personal
values they recorded, and any other entry quoting the full name, the short
name, the СНИЛС, the phone or the e-mail has the quotation replaced.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import or_, select

from app.domain.names import initials
from app.services.access import audit
from app.services.accounts.accounts import actor_for
from app.services.common.errors import NotFound, ServiceError
from app.services.access.permissions import ERASE_PERSONAL_DATA, require
from app.storage.database import Database
from app.storage.numbering import next_counter
from app.storage.models import AuditLog, Teacher

ERASED = "[обезличено]"
LABEL = "Обезличен"
# Fields of the teacher row that identify a person, and what they become.
PERSONAL_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "snils", "email", "phone", "notes")
# snils_hash too: the region's keyed hash would still link the erased person across municipalities.
_CLEARED = {"middle_name": "", "birth_date": None, "snils": None, "snils_hash": None, "email": None, "phone": None,
            "notes": ""}
_ACTION = "anonymize"


@dataclass(frozen=True)
class AnonymizeResult:
    teacher_id: str
    label: str
    audit_rows_scrubbed: int


def _needles(t: Teacher) -> list[str]:
    full = " ".join(p for p in (t.last_name, t.first_name, t.middle_name) if p)
    found = [full, initials(t.last_name, t.first_name, t.middle_name), t.snils, t.email, t.phone]
    if t.snils:
        found.append("".join(c for c in t.snils if c.isdigit()))
    # Longest first, so «Иванова Анна Петровна» goes before a shorter quotation inside it.
    return sorted({n for n in found if n and len(n) >= 5}, key=len, reverse=True)


def _scrub_values(value, own: bool):
    if isinstance(value, dict):
        return {k: (ERASED if own and k in PERSONAL_FIELDS and v not in (None, "") else _scrub_values(v, own))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_values(v, own) for v in value]
    return value


def _scrub_text(text: str, needles: list[str]) -> str:
    for n in needles:
        text = text.replace(n, ERASED)
    return text


def _scrub_json(text: str, needles: list[str], own: bool) -> str:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return _scrub_text(text, needles)
    # The merge log nests a teacher's fields one level down ({"keep": {...}, "other": {...}}).
    data = _scrub_values(data, own)
    return _scrub_text(json.dumps(data, ensure_ascii=False, sort_keys=True), needles)


def anonymize_teacher(db: Database, teacher_id: str) -> AnonymizeResult:
    require(db, ERASE_PERSONAL_DATA)
    with db.session() as s:
        t = s.get(Teacher, teacher_id)
        if t is None:
            raise NotFound(f"Не найден педагог с идентификатором {teacher_id}.")
        if t.last_name == LABEL and t.first_name.startswith("№"):
            raise ServiceError(f"Педагог уже обезличен («{t.last_name} {t.first_name}»).")
        needles = _needles(t)
        number = next_counter(s, "anonymized_teachers")
        t.last_name, t.first_name = LABEL, f"№{number}"
        for name, value in _CLEARED.items():
            setattr(t, name, value)
        t.consent_basis = "персональные данные обезличены по заявлению"
        s.flush()

        text_hits = [c.contains(n, autoescape=True) for n in needles
                     for c in (AuditLog.summary, AuditLog.before, AuditLog.after)]
        scrubbed = 0
        for row in s.scalars(select(AuditLog).where(or_(AuditLog.record_id == t.id, *text_hits))):
            own = row.record_id == t.id
            row.before = _scrub_json(row.before, needles, own)
            row.after = _scrub_json(row.after, needles, own)
            row.summary = _scrub_text(row.summary or "", needles)
            scrubbed += 1
        label = f"{LABEL} №{number}"
        audit.write(s, actor_for(db), _ACTION, "teachers", t.id,
                    summary=f"{label}: персональные данные удалены по заявлению")
        return AnonymizeResult(t.id, label, scrubbed)
