"""The audit log as a user reads it: filtered by account, record kind and dates; exported to xlsx.

Lists fetch ids first and rows on demand (a log grows to millions of rows);
the xlsx export (app.export.audit_xlsx) reads them through ``ids``, ``rows`` and
``change_lines``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable

from sqlalchemy import Select, func, select

from app.domain.masking import masked
from app.domain.validators import format_date
from app.services.common.fields import BOOL, DATE, ENUM, FLOAT, REF, display
from app.services.registry.specs import SPECS
from app.services.common.errors import ServiceError
from app.services.access.permissions import ROLE_LABELS, VIEW_AUDIT, require
from app.storage.database import Database
from app.storage.models import AuditLog

ACTION_LABELS = {
    "create": "создание", "update": "изменение", "delete": "удаление", "restore": "восстановление",
    "merge": "объединение", "unmerge": "отмена объединения", "import": "импорт", "demo": "демо-данные",
    "restore_db": "восстановление базы", "reset": "сброс пароля", "password": "смена пароля",
    "role": "смена роли", "block": "блокировка", "unblock": "разблокировка", "lockout": "блокировка входа",
    "anonymize": "обезличивание",
}
EXTRA_KINDS = {"accounts": "Учётные записи", "database": "База данных", "settings": "Настройки"}
PERSONAL_KEYS = ("snils", "phone", "email")
ACCOUNT_FIELDS = {"login": "Имя входа", "role": "Роль", "blocked": "Заблокирована", "teacher_id": "Педагог",
                  "must_change_password": "Сменить пароль при входе"}
EXPORT_HEADERS = ("Когда", "Кто", "Действие", "Вид записи", "Запись", "Идентификатор", "Было", "Стало")


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime          # local time
    actor: str
    action: str
    entity: str
    record_id: str
    summary: str
    before: dict
    after: dict

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def entity_label(self) -> str:
        return kind_label(self.entity)


def kind_label(entity: str) -> str:
    spec = SPECS.get(entity)
    return spec.title if spec is not None else EXTRA_KINDS.get(entity, entity)


def field_label(entity: str, name: str) -> str:
    spec = SPECS.get(entity)
    if spec is not None and spec.has_field(name):
        return spec.field(name).label
    if entity == "settings":
        from app.services.registry.deadline_settings import SETTINGS

        return next((w.label for w in SETTINGS if w.name == name), name)
    return ACCOUNT_FIELDS.get(name, name) if entity == "accounts" else name


def _value_text(entity: str, name: str, value, unmasked: bool, names: dict[str, str] | None) -> str:
    """A stored value as the user reads it: labels for codes, дд.мм.гггг, the name a reference points to."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    spec = SPECS.get(entity)
    f = spec.field(name) if spec is not None and spec.has_field(name) else None
    if f is not None and f.kind == REF and names is not None:
        return names.get(str(value), "запись удалена или недоступна")
    if f is not None and f.kind == DATE and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if f is not None and f.kind in (ENUM, BOOL, FLOAT):
        return display(f, value)
    if entity == "accounts" and name == "role":
        return ROLE_LABELS.get(str(value), str(value))
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if unmasked or name not in PERSONAL_KEYS else masked(name, text)


def reference_names(db: Database, entries: Iterable[AuditRow], unmasked: bool = True) -> dict[str, str]:
    """What the references in these entries point to (an organisation's name, a teacher's ФИО), by id.

    Masked output leaves teachers' names out: a reference then reads as «педагог».
    """
    wanted: dict[str, set[str]] = {}
    for e in entries:
        spec = SPECS.get(e.entity)
        for side in (e.before, e.after):
            for name, value in side.items():
                if spec is not None and spec.has_field(name) and spec.field(name).kind == REF and value:
                    wanted.setdefault(spec.field(name).ref, set()).add(str(value))
    out: dict[str, str] = {}
    with db.read() as s:
        for entity, ids_ in wanted.items():
            spec = SPECS[entity]
            if entity == "teachers" and not unmasked:
                out.update({i: spec.singular for i in ids_})
                continue
            chunk = sorted(ids_)
            for start in range(0, len(chunk), 500):
                stmt = select(spec.model.id, spec.display(spec.model)).where(spec.model.id.in_(chunk[start:start + 500]))
                out.update({i: str(n) for i, n in s.execute(stmt)})
    return out


def change_lines(row: AuditRow, unmasked: bool = True, names: dict[str, str] | None = None) -> tuple[str, str]:
    """(before, after) as «Поле: значение» lines, fields in the order they changed.

    ``names`` (reference_names) turns references into what they point to.
    """
    fields = list(dict.fromkeys(list(row.before) + list(row.after)))
    def side(values: dict) -> str:
        # A creation has no «before», a deletion's «after» is the tombstone only: an empty side stays empty.
        if not values:
            return ""
        return "\n".join(f"{field_label(row.entity, n)}: {_value_text(row.entity, n, values.get(n), unmasked, names)}"
                         for n in fields)
    return side(row.before), side(row.after)


def _utc(d: date) -> datetime:
    # Filters are in local dates; the log stores naive UTC.
    local = datetime.combine(d, time.min).astimezone()
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _filtered(f: AuditFilter, stmt: Select) -> Select:
    if f.since and f.until and f.until < f.since:
        raise ServiceError("Журнал: дата «по» раньше даты «с».")
    if f.actor:
        stmt = stmt.where(AuditLog.actor == f.actor)
    if f.entity:
        stmt = stmt.where(AuditLog.entity == f.entity)
    if f.since:
        stmt = stmt.where(AuditLog.at >= _utc(f.since))
    if f.until:
        stmt = stmt.where(AuditLog.at < _utc(f.until + timedelta(days=1)))
    return stmt


def ids(db: Database, f: AuditFilter = AuditFilter()) -> list[int]:
    """Matching entries, newest first (the view keeps these and asks for rows as it scrolls)."""
    require(db, VIEW_AUDIT)
    with db.read() as s:
        return list(s.scalars(_filtered(f, select(AuditLog.id)).order_by(AuditLog.id.desc())))


def count(db: Database, f: AuditFilter = AuditFilter()) -> int:
    require(db, VIEW_AUDIT)
    with db.read() as s:
        return s.scalar(_filtered(f, select(func.count()).select_from(AuditLog)))


def _row(r: AuditLog) -> AuditRow:
    at = r.at.replace(tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
    return AuditRow(r.id, at, r.actor, r.action, r.entity, r.record_id, r.summary,
                    json.loads(r.before or "{}"), json.loads(r.after or "{}"))


def rows(db: Database, wanted: Iterable[int]) -> dict[int, AuditRow]:
    require(db, VIEW_AUDIT)
    wanted = list(wanted)
    out: dict[int, AuditRow] = {}
    with db.read() as s:
        for start in range(0, len(wanted), 500):
            for r in s.scalars(select(AuditLog).where(AuditLog.id.in_(wanted[start:start + 500]))):
                out[r.id] = _row(r)
    return out


def actors(db: Database) -> list[str]:
    require(db, VIEW_AUDIT)
    with db.read() as s:
        return sorted(s.scalars(select(AuditLog.actor).distinct()), key=str.casefold)


def kinds(db: Database) -> list[tuple[str, str]]:
    require(db, VIEW_AUDIT)
    with db.read() as s:
        present = list(s.scalars(select(AuditLog.entity).distinct()))
    return sorted(((k, kind_label(k)) for k in present), key=lambda kv: kv[1])
