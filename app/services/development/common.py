"""Shared pieces of the professional-development services: settings, labels, finding a teacher.

Used by development_ledger, development_pd and development_routes; callers
import the public names from ``app.services.development``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import enums as E
from app.domain import rules
from app.domain.names import format_fio, initials, search_key
from app.domain.validators import ValidationError, format_date, normalize_inn, normalize_snils
from app.services.common.errors import NotFound, ServiceError
from app.services.registry.deadline_settings import read_windows
from app.services.registry.overview import settings_in
from app.storage.database import Database
from app.storage.models import Organization, Teacher

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SNILS_LIKE = re.compile(r"^[\d\s\-.\u2010-\u2015]+$")
NO_ORGANIZATION = "Без организации"


# -- settings -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PdSettings:
    hours_per_credit: int
    warn_months: int
    municipality_name: str


def pd_settings(db: Database) -> PdSettings:
    with db.read() as s:                  # one read for both kinds of setting
        values = settings_in(s)
        windows = read_windows(s)

    def as_int(key: str, default: int, minimum: int) -> int:
        try:
            n = int(values.get(key, default))
        except (TypeError, ValueError):
            return default
        return n if n >= minimum else default

    return PdSettings(hours_per_credit=as_int("hours_per_credit", rules.HOURS_PER_CREDIT_DEFAULT, 1),
                      warn_months=windows.pd_warn_months,
                      municipality_name=values.get("municipality_name", "") or "")


def item_credits(hours: float | None, credits: float | None, hours_per_credit: int) -> tuple[float, bool]:
    """(credits, computed): the stored credits, or computed from hours when none were stored."""
    if credits:
        return float(credits), False
    if hours and hours > 0:
        return rules.credits_from_hours(hours, hours_per_credit), True
    return 0.0, False


def round2(x: float) -> float:
    return round(x + 0.0, 2)


# -- display helpers ------------------------------------------------------------------------

def organization_label(m) -> object:
    """SQL: the short name of an organisation, or its full name when there is no short one."""
    return func.coalesce(func.nullif(m.short_name, ""), m.full_name)


def kind_label(code: str | None) -> str:
    return E.ItemKind.label_of(code)


def formality_label(code: str | None) -> str:
    return E.Formality.label_of(code)


def status_label(code: str | None) -> str:
    return E.ItemStatus.label_of(code)


def competence_labels(codes: str | None) -> tuple[str, ...]:
    """«fgos,digital» → the Russian labels; an unknown code is shown as it is."""
    out = []
    for code in (codes or "").split(","):
        code = code.strip()
        if code:
            out.append(E.COMPETENCE_LABELS.get(code, code))
    return tuple(out)


# -- the teacher ------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeacherInfo:
    id: str
    last_name: str
    first_name: str
    middle_name: str
    full_name: str              # «Фамилия Имя Отчество»
    short_name: str             # «Фамилия И. О.»
    signature_name: str         # «И. О. Фамилия» (under a signature)
    snils: str
    birth_date: date | None
    position: str
    organization_id: str | None
    organization: str           # short name (or full when there is no short one)
    organization_full: str
    career_start: date | None
    hired_on: date | None
    last_pd_on: date | None
    pd_due: date | None
    pd_status: str
    pd_status_label: str


def signature_name(last: str, first: str, middle: str = "") -> str:
    """«Иванова Мария Петровна» → «М. П. Иванова»."""
    short = initials(last, first, middle)
    parts = short.split(" ", 1)
    return f"{parts[1]} {parts[0]}" if len(parts) == 2 else short


def load_teacher(s: Session, teacher_id: str) -> Teacher:
    teacher = s.get(Teacher, str(teacher_id))
    if teacher is None or teacher.deleted_at is not None:
        raise NotFound(f"Педагог с идентификатором {teacher_id} не найден.")
    return teacher


def teacher_info_in(s: Session, teacher: Teacher, today: date, warn_months: int) -> TeacherInfo:
    org = s.get(Organization, teacher.organization_id) if teacher.organization_id else None
    due = rules.next_pd_due(teacher.last_pd_on, teacher.career_start or teacher.hired_on)
    status = rules.pd_status(due, today, warn_months)
    return TeacherInfo(
        id=teacher.id, last_name=teacher.last_name, first_name=teacher.first_name,
        middle_name=teacher.middle_name or "",
        full_name=format_fio(teacher.last_name, teacher.first_name, teacher.middle_name),
        short_name=initials(teacher.last_name, teacher.first_name, teacher.middle_name),
        signature_name=signature_name(teacher.last_name, teacher.first_name, teacher.middle_name or ""),
        snils=teacher.snils or "", birth_date=teacher.birth_date, position=teacher.position or "",
        organization_id=teacher.organization_id,
        organization=(org.short_name or org.full_name) if org else "",
        organization_full=(org.full_name or org.short_name) if org else "",
        career_start=teacher.career_start, hired_on=teacher.hired_on, last_pd_on=teacher.last_pd_on,
        pd_due=due, pd_status=status.value, pd_status_label=status.label,
    )


def teacher_info(db: Database, teacher_id: str, today: date | None = None) -> TeacherInfo:
    """Identity, organisation and the three-year-rule state of one teacher."""
    today = today or date.today()
    warn = pd_settings(db).warn_months
    with db.read() as s:
        return teacher_info_in(s, load_teacher(s, teacher_id), today, warn)


def _live_id(s: Session, model: type, raw: str) -> str | None:
    """The id of the record of ``model`` whose id is ``raw``, unless it is missing or deleted."""
    record = s.get(model, raw)
    return record.id if record is not None and record.deleted_at is None else None


def find_teacher(db: Database, text: str) -> str:
    """The id of the (non-deleted) teacher given by its id or by its СНИЛС in any usual spelling.

    «11223344595», «112-233-445 95», «112 233 445 95», «112.233.445-95» all find
    the same teacher. Raises NotFound with a Russian message naming what was searched.
    """
    raw = (text or "").strip()
    if not raw:
        raise NotFound("Не указан педагог: укажите идентификатор записи или СНИЛС.")
    with db.read() as s:
        live_id = _live_id(s, Teacher, raw)
        if live_id is not None:
            return live_id
        if _UUID.match(raw) or not _SNILS_LIKE.match(raw):
            what = "идентификатору записи" if _UUID.match(raw) else "идентификатору записи (и это не СНИЛС)"
            raise NotFound(f"Педагог не найден: поиск по {what} «{raw}».")
        try:
            snils = normalize_snils(raw)
        except ValidationError as exc:
            raise NotFound(f"Педагог не найден: «{raw}» — не идентификатор записи и не СНИЛС ({exc}).") from None
        found = list(s.scalars(select(Teacher.id).where(Teacher.snils == snils, Teacher.deleted_at.is_(None))
                               .limit(2)))
        if not found:
            raise NotFound(f"Педагог не найден: поиск по СНИЛС {snils} (введено «{raw}»).")
        if len(found) > 1:
            raise ServiceError(f"СНИЛС {snils} указан у нескольких педагогов; укажите идентификатор записи.")
        return found[0]


def find_organization(db: Database, text: str) -> str:
    """The id of the organisation given by its id, INN, or (a unique part of) its name."""
    raw = (text or "").strip()
    if not raw:
        raise NotFound("Не указана организация: укажите наименование, ИНН или идентификатор.")
    with db.read() as s:
        live_id = _live_id(s, Organization, raw)
        if live_id is not None:
            return live_id
        live = Organization.deleted_at.is_(None)
        digits = re.sub(r"[\s\-]", "", raw)
        if digits.isdigit():
            try:
                inn = normalize_inn(digits)
            except ValidationError as exc:
                raise NotFound(f"Организация не найдена: «{raw}» — не ИНН ({exc}).") from None
            found = list(s.scalars(select(Organization.id).where(Organization.inn == inn, live).limit(2)))
            if len(found) == 1:
                return found[0]
            if not found:
                raise NotFound(f"Организация не найдена: поиск по ИНН {inn}.")
            raise ServiceError(f"ИНН {inn} указан у нескольких организаций; укажите идентификатор.")
        # A few thousand organisations at most: match names in Python, where ё = е and case folding work.
        rows = list(s.execute(select(Organization.id, Organization.short_name, Organization.full_name,
                                     Organization.search_key).where(live)))
        key = search_key(raw)
        exact = [r for r in rows if key in (search_key(r.short_name), search_key(r.full_name))]
        if len(exact) == 1:
            return exact[0].id
        words = key.split()
        matches = exact or [r for r in rows if all(w in (r.search_key or "") for w in words)]
        if len(matches) == 1:
            return matches[0].id
        if not matches:
            raise NotFound(f"Организация не найдена: поиск по наименованию «{raw}».")
        names = sorted(r.short_name or r.full_name for r in matches)
        more = " …" if len(names) > 5 else ""
        raise ServiceError(f"По запросу «{raw}» найдено организаций: {len(names)} ({'; '.join(names[:5])}{more}); "
                           "уточните наименование или укажите ИНН.")


def period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{format_date(start)} – {format_date(end)}"
    return format_date(start or end)


__all__ = [
    "NO_ORGANIZATION", "PdSettings", "TeacherInfo", "competence_labels", "find_organization",
    "find_teacher", "formality_label", "item_credits", "kind_label", "load_teacher", "organization_label",
    "pd_settings", "period_text", "round2", "signature_name", "status_label", "teacher_info", "teacher_info_in",
]
