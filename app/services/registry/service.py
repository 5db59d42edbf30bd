"""Create, read, update, delete and list any entity, with validation and audit.

Every public method is one unit of work (one transaction). Values go in as
Python values or user-typed strings and come out as plain dicts; nothing
outside this layer ever sees a session or an ORM object.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timezone
from typing import Any, Iterable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.exc import StaleDataError

from app.domain.enums import COMPETENCE_LABELS
from app.domain.validators import ValidationError, format_date
from app.services.access import audit
from app.services.registry import pd_status
from app.services.access import record_scope
from app.services.access.personal_data import mask_for_account
from app.domain.deadlines import DEFAULT_WINDOWS, Windows
from app.services.common.actor import Actor
from app.services.registry.credits_fill import with_computed_credits
from app.services.registry import record_filters
from app.services.registry.record_bin import cascade, refuse_if_referenced
from app.services.registry.deadline_settings import deadline_windows, read_windows
from app.services.registry import write_hooks
from app.storage.portable_sql import among
from app.services.registry.record_rules import ENTITY_CHECKS, row_errors
from app.services.registry.record_search import filter_clause, query_words, search_clause
from app.services.registry.specs import EntitySpec, spec_for
from app.services.common.errors import ConcurrentEdit, FieldError, NotFound, ServiceError, ValidationFailed
from app.services.common.fields import REF, display, normalize
from app.storage.base import utcnow
from app.storage.database import Database

META_FIELDS = ("origin", "created_at", "updated_at", "row_version")

# Text fields that hold comma-separated competence codes.
COMPETENCE_CODE_FIELDS = ("competences", "deficits")


@dataclass(frozen=True)
class Column:
    name: str       # row key
    label: str
    field: str      # the entity field behind it


@dataclass(frozen=True)
class FilterOption:
    name: str
    label: str
    choices: list[tuple[str, str]]      # (value, label)


Filters = dict[str, Any] | None


@dataclass(frozen=True)
class RecordList:
    entity: str
    columns: list[Column]
    rows: list[dict[str, Any]]


def ref_key(field_name: str) -> str:
    """``organization_id`` → ``organization`` (the key of the referenced record's name)."""
    return field_name[:-3] if field_name.endswith("_id") else field_name + "_name"


# Up to this many matches a list query is answered in full at once (see first_ids).
FULL_ANSWER_MAX = 5000


class RecordService:
    def __init__(self, db: Database, actor: Actor | None = None):
        self.db = db
        self.actor = actor or Actor.system_user()

    # -- reading ---------------------------------------------------------
    def get(self, entity: str, record_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
        spec = spec_for(entity)
        with self.db.read() as s:
            obj = self._load(s, spec, record_id, include_deleted=include_deleted)
            return mask_for_account(self.db, entity, [self._as_dict(s, spec, obj)])[0]

    def list(self, entity: str, *, search: str | None = None, limit: int | None = None, offset: int = 0,
             order: str | None = None, descending: bool = False, deleted: bool = False,
             filters: Filters = None) -> RecordList:
        spec = spec_for(entity)
        columns = self.columns(entity)
        with self.db.read() as s:
            stmt = self._list_select(spec, search, order, descending, deleted, filters)
            if limit is not None:
                stmt = stmt.limit(limit)
            if offset:
                stmt = stmt.offset(offset)
            windows = read_windows(s) if spec.derived else None
            rows = [_with_derived(spec, dict(r._mapping), windows) for r in s.execute(stmt)]
        return RecordList(entity, columns, mask_for_account(self.db, entity, rows))

    def count(self, entity: str, *, search: str | None = None, deleted: bool = False,
              filters: Filters = None) -> int:
        spec = spec_for(entity)
        with self.db.read() as s:
            inner = self._list_select(spec, search, None, False, deleted, filters, ids_only=True).order_by(None)
            return s.scalar(select(func.count()).select_from(inner.subquery()))

    def ids(self, entity: str, *, search: str | None = None, order: str | None = None,
            descending: bool = False, deleted: bool = False, filters: Filters = None) -> list[str]:
        """All matching ids in display order: a view keeps these and fetches rows lazily."""
        spec = spec_for(entity)
        with self.db.read() as s:
            stmt = self._list_select(spec, search, order, descending, deleted, filters, ids_only=True)
            return list(s.scalars(stmt))

    def first_ids(self, entity: str, *, limit: int, search: str | None = None, order: str | None = None,
                  descending: bool = False, deleted: bool = False,
                  filters: Filters = None) -> tuple[list[str], int | None]:
        """The first ``limit`` ids in display order, and how many records match in all
        (None: more than FULL_ANSWER_MAX; ``ids`` tells exactly, later).

        A list shows its first screen from this and reads the rest later. A
        narrow search (up to FULL_ANSWER_MAX matches) is answered in full from
        the search-key index. A broad one walks the ordering index testing each
        row's own key and stops after ``limit`` hits: with many matches the
        hits are dense, so the walk is short, where sorting them all is not.
        """
        spec = spec_for(entity)
        m = spec.model
        # PostgreSQL finds the matches through its indexes (trigram, foreign keys) and sorts them
        # itself; SQLite tests the rows and sorts the ids it found.
        indexed = not self.db.is_sqlite
        with self.db.read() as s:
            matching = self._list_select(spec, search, None, False, deleted, filters,
                                         ids_only=True, walk=not indexed).order_by(None)
            probe = list(s.scalars(matching.limit(FULL_ANSWER_MAX + 1)))
            if len(probe) <= FULL_ANSWER_MAX:
                if not probe:
                    return [], 0
                if indexed:
                    ordered = self._list_select(spec, search, order, descending, deleted, filters, ids_only=True)
                    return list(s.scalars(ordered)), len(probe)
                ordered = self._list_select(spec, None, order, descending, None, ids_only=True)
                return list(s.scalars(ordered.where(among(self.db.engine.dialect.name, m.id, probe)))), len(probe)
            first = self._list_select(spec, search, order, descending, deleted, filters,
                                      ids_only=True, walk=True).limit(limit)
            return list(s.scalars(first)), None

    def rows(self, entity: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        spec = spec_for(entity)
        wanted = list(ids)
        out: dict[str, dict[str, Any]] = {}
        with self.db.read() as s:
            windows = read_windows(s) if spec.derived else None
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                stmt = self._list_select(spec, None, None, False, None).where(
                    among(self.db.engine.dialect.name, spec.model.id, chunk))
                for r in s.execute(stmt):
                    out[r.id] = _with_derived(spec, dict(r._mapping), windows)
        mask_for_account(self.db, entity, out.values())
        return out

    def filter_options(self, entity: str) -> list[FilterOption]:
        """What a filter panel offers for this entity, with the choices to pick from."""
        return [FilterOption(*o) for o in record_filters.filter_options(self.db, entity)]

    def municipality_choices(self, entity: str) -> list[tuple[str, str]]:
        return record_filters.municipality_choices(self.db, entity)

    def distinct_values(self, entity: str, field_name: str) -> list[str]:
        return record_filters.distinct_values(self.db, entity, field_name)

    def columns(self, entity: str) -> list[Column]:
        spec = spec_for(entity)
        cols = []
        for name in spec.list_columns:
            f = spec.field(name)
            cols.append(Column(ref_key(name) if f.kind == REF else name, f.label, name))
        cols.extend(Column(d.name, d.label, d.name) for d in spec.derived)
        return cols

    def display_row(self, entity: str, row: dict[str, Any]) -> list[str]:
        """The list row as the user reads it (dates дд.мм.гггг, enum labels …)."""
        spec = spec_for(entity)
        out = []
        for col in self.columns(entity):
            value = row.get(col.name)
            if value is None:
                out.append("")
            elif spec.has_field(col.field):
                f = spec.field(col.field)
                if col.field in COMPETENCE_CODE_FIELDS:
                    # Stored as codes («digital,fgos»); read as the competences' names.
                    out.append("; ".join(COMPETENCE_LABELS.get(c.strip(), c.strip())
                                         for c in str(value).split(",") if c.strip()))
                    continue
                out.append(str(value) if f.kind == REF else display(f, value))
            else:
                out.append(format_date(value) if isinstance(value, date) else str(value))
        return out

    def validate(self, entity: str, values: dict[str, Any], record_id: str | None = None) -> list[FieldError]:
        """Every problem saving ``values`` would meet (duplicates included), without writing or locking."""
        spec = spec_for(entity)
        with self.db.read() as s:
            existing = self._load(s, spec, record_id) if record_id else None
            try:
                self._validate(s, spec, values, existing)
            except ValidationFailed as exc:
                return exc.errors
        return []

    def check_field(self, entity: str, name: str, value: Any) -> str | None:
        """The Russian message for one value as the user types it, or None when it is acceptable.

        Only the field's own rules (checksums, formats, required); rules that
        involve other fields or other records are checked on save.
        """
        f = spec_for(entity).field(name)
        try:
            normalize(f, value)
        except ValidationError as exc:
            return str(exc)
        return None

    # -- writing ---------------------------------------------------------
    def create(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        with self.batch() as b:
            return b.create(entity, values)

    def update(self, entity: str, record_id: str, changes: dict[str, Any], *,
               expected_version: int | None = None) -> dict[str, Any]:
        """``expected_version``: the version the user opened; a save over a later one is refused (ConcurrentEdit)."""
        with self.batch() as b:
            return b.update(entity, record_id, changes, expected_version=expected_version)

    @contextmanager
    def batch(self) -> Iterator["Batch"]:
        """Several writes as one transaction (an import, a bulk action): all or nothing."""
        with self.db.session() as s:
            yield Batch(self, s)

    def delete(self, entity: str, record_id: str) -> int:
        """Moves the record and what it owns to the recycle bin; returns how many rows."""
        spec = spec_for(entity)
        with self.db.session() as s:
            obj = self._load(s, spec, record_id)
            self._refuse_if_foreign(s, spec, obj)
            self._refuse_if_referenced(s, spec, obj.id)
            stamp = utcnow()
            n = self._mark_deleted(s, spec, [obj.id], stamp)
            pd_status.after_write(s, entity, [obj.id])
            audit.write(s, self.actor, "delete", entity, obj.id, {"deleted_at": None}, {"deleted_at": stamp},
                        self._summary(s, spec, obj))
            write_hooks.run(Batch(self, s), entity, [obj.id])
            return n

    def restore(self, entity: str, record_id: str) -> int:
        """Brings a record back from the recycle bin with what was deleted together with it."""
        spec = spec_for(entity)
        with self.db.session() as s:
            obj = self._load(s, spec, record_id, include_deleted=True)
            if obj.deleted_at is None:
                raise ServiceError(f"Запись «{self._summary(s, spec, obj)}» не удалена.")
            self._refuse_if_foreign(s, spec, obj)
            last = next((e for e in audit.entries(s, entity=entity, record_id=obj.id, limit=20)
                         if e.action in ("delete", "restore")), None)
            if last is not None and last.action == "delete" and last.after.get("merged_into"):
                raise ServiceError(
                    f"Запись «{self._summary(s, spec, obj)}» была объединена с другой "
                    f"(объединение № {last.after.get('merge_id')}). Чтобы вернуть её, отмените объединение "
                    "в журнале объединений.")
            for f in spec.fields:
                target_id = getattr(obj, f.name) if f.kind == REF else None
                if target_id and self._find(s, spec_for(f.ref), target_id) is None:
                    raise ServiceError(
                        f"Нельзя восстановить {spec.singular}: связанная запись (поле «{f.label}») удалена. "
                        "Сначала восстановите её.")
            n = self._mark_restored(s, spec, [obj.id], obj.deleted_at)
            pd_status.after_write(s, entity, [obj.id])
            audit.write(s, self.actor, "restore", entity, obj.id, {"deleted_at": obj.deleted_at},
                        {"deleted_at": None}, self._summary(s, spec, obj))
            write_hooks.run(Batch(self, s), entity, [obj.id])
            return n

    # -- internals -------------------------------------------------------
    def _find(self, s: Session, spec: EntitySpec, record_id: str, include_deleted: bool = False):
        obj = s.get(spec.model, record_id)
        if obj is None or (obj.deleted_at is not None and not include_deleted):
            return None
        return obj if record_scope.visible(self.db, s, spec.name, obj) else None

    def _load(self, s: Session, spec: EntitySpec, record_id: str, include_deleted: bool = False):
        obj = self._find(s, spec, str(record_id), include_deleted)
        if obj is None:
            raise NotFound(f"Не найдена запись ({spec.singular}) с идентификатором {record_id}.")
        return obj

    def _refuse_if_foreign(self, s: Session, spec: EntitySpec, obj) -> None:
        """Each record has one owner (SYNC.md): a row received from another installation — the
        region's catalogue at a municipality, a municipality's records at the region — is read-only."""
        own = self.db.origin(s)
        if obj.origin and own and obj.origin != own:
            raise ServiceError(
                f"Запись «{self._summary(s, spec, obj)}» получена при обмене (владелец — {obj.origin}) и доступна "
                "только для чтения: исправления вносит её владелец.")

    def _summary(self, s: Session, spec: EntitySpec, obj) -> str:
        value = s.scalar(select(spec.display(spec.model)).where(spec.model.id == obj.id))
        if isinstance(value, date):
            return f"{spec.singular} от {format_date(value)}"
        return "" if value is None else str(value)

    def _as_dict(self, s: Session, spec: EntitySpec, obj) -> dict[str, Any]:
        out: dict[str, Any] = {"id": obj.id}
        for f in spec.fields:
            out[f.name] = getattr(obj, f.name)
            if f.kind == REF:
                target_id = out[f.name]
                target = spec_for(f.ref)
                out[ref_key(f.name)] = (
                    s.scalar(select(target.display(target.model)).where(target.model.id == target_id))
                    if target_id else None)
        for name in META_FIELDS:
            out[name] = getattr(obj, name)
        out["deleted_at"] = obj.deleted_at
        return out

    def _validate(self, s: Session, spec: EntitySpec, values: dict[str, Any], existing) -> dict[str, Any]:
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
            if f.kind == REF and clean[f.name] and self._find(s, spec_for(f.ref), clean[f.name]) is None:
                target = spec_for(f.ref)
                errors.append(FieldError(f.name, f.label, f"не найдена запись ({target.singular}) {clean[f.name]}"))
        if not errors:
            merged = {f.name: getattr(existing, f.name) for f in spec.fields} if existing is not None else {}
            merged.update(clean)
            errors.extend(self._check_record(s, spec, merged, existing.id if existing is not None else None))
        if errors:
            raise ValidationFailed(errors)
        return pd_status.with_reported_date(spec.name, clean)

    def _check_record(self, s: Session, spec: EntitySpec, rec: dict[str, Any], own_id: str | None) -> list[FieldError]:
        errors = row_errors(spec, rec)
        for check in ENTITY_CHECKS.get(spec.name, ()):
            errors.extend(check(s, spec, rec, own_id))
        return errors

    def _refuse_if_referenced(self, s: Session, spec: EntitySpec, record_id: str) -> None:
        refuse_if_referenced(s, spec, record_id, lambda: self._summary(s, spec, s.get(spec.model, record_id)))

    def _mark_deleted(self, s: Session, spec: EntitySpec, ids: list[str], stamp) -> int:
        return cascade(self.db, s, spec, ids, delete_stamp=stamp)

    def _mark_restored(self, s: Session, spec: EntitySpec, ids: list[str], stamp) -> int:
        return cascade(self.db, s, spec, ids, restore_stamp=stamp)

    def _list_select(self, spec: EntitySpec, search: str | None, order: str | None, descending: bool,
                     deleted: bool | None, filters: Filters = None, *, ids_only: bool = False,
                     walk: bool = False) -> Select:
        """The list query. ``ids_only`` joins a referenced table only when the order needs it."""
        m = spec.model
        cols = [m.id]
        joins: dict[str, tuple] = {}
        order_cols: dict[str, Any] = {}
        for name in spec.list_columns:
            f = spec.field(name)
            if f.kind == REF:
                target = spec_for(f.ref)
                alias = aliased(target.model)
                label = target.display(alias).label(ref_key(name))
                cols += [label, getattr(m, name)]
                joins[name] = (alias, getattr(m, name) == alias.id)
                order_cols[name] = order_cols[ref_key(name)] = (label, name)
            else:
                cols.append(getattr(m, name))
                order_cols[name] = (getattr(m, name), None)
        extra = dict.fromkeys(n for d in spec.derived for n in d.needs if n not in spec.list_columns)
        cols.extend(getattr(m, n) for n in extra)
        cols.append(m.deleted_at)
        order_cols["deleted_at"] = (m.deleted_at, None)
        for d in spec.derived:
            if d.sql is not None:
                computed = d.sql(m).label(d.name)
                cols.append(computed)
                order_cols[d.name] = (computed, None)
            else:
                order_cols[d.name] = (getattr(m, d.sort_by), None)

        if order and order not in order_cols:
            raise ServiceError(f"Нельзя упорядочить по полю «{order}».")
        primary, needs_join = order_cols[order] if order else (None, None)
        if ids_only:
            stmt = select(m.id).select_from(m)
            if needs_join:
                stmt = stmt.outerjoin(*joins[needs_join])
        else:
            stmt = select(*cols).select_from(m)
            for alias, on in joins.values():
                stmt = stmt.outerjoin(alias, on)

        if deleted is True:
            stmt = stmt.where(m.deleted_at.is_not(None))
        elif deleted is False:
            stmt = stmt.where(m.deleted_at.is_(None))
        if spec.scope is not None:
            stmt = stmt.where(spec.scope(m))
        windows = None      # read once, and only for a filter that names a window
        for name, value in (filters or {}).items():
            if value is None or value == "":
                continue
            if windows is None and spec.named_filter(name) is not None:
                windows = deadline_windows(self.db)
            stmt = stmt.where(filter_clause(spec, name, value, windows or DEFAULT_WINDOWS))
        if search and query_words(search):
            stmt = stmt.where(search_clause(self.db.is_sqlite, spec, search, walk=walk))
        if primary is not None:
            stmt = stmt.order_by(primary.desc() if descending else primary.asc(), m.id)
        else:
            stmt = stmt.order_by(*(getattr(m, o) for o in spec.order_by), m.id)
        return record_scope.restrict(self.db, spec.name, m, stmt)


def concurrent_edit(service: "RecordService", spec: EntitySpec, record_id: str) -> ConcurrentEdit:
    """The refusal of a save over a newer version, naming who saved it and when (from the audit log).

    Read in a session of its own: after a stale flush the writer's transaction can only be rolled back."""
    with service.db.read() as s:
        obj = s.get(spec.model, record_id)
        current = obj.row_version if obj is not None else 0
        summary = service._summary(s, spec, obj) if obj is not None else record_id
        last = next((e for e in audit.entries(s, entity=spec.name, record_id=record_id, limit=5)
                     if e.action in ("update", "create", "restore", "delete")), None)
    if last is not None:
        at = last.at.replace(tzinfo=timezone.utc).astimezone()      # the log keeps UTC; the user reads local time
        who = f"{last.actor} {at:%d.%m.%Y в %H:%M}"
    else:
        who = "другой пользователь"
    return ConcurrentEdit(
        f"Запись «{summary}» уже изменил(а) {who}, пока она была открыта у вас. Ваши изменения не сохранены и "
        "остались в форме: откройте запись в другом окне, чтобы сравнить, или сохраните ещё раз, чтобы записать "
        "свои значения поверх.", int(current or 0))


def _with_derived(spec: EntitySpec, row: dict[str, Any], windows: Windows | None) -> dict[str, Any]:
    for d in spec.derived:
        row[d.name] = d.compute(row, windows or DEFAULT_WINDOWS)
    return row


class Batch:
    """Writes that share one transaction; each is validated and audited as a single one is."""

    def __init__(self, service: RecordService, session: Session):
        self.service = service
        self.session = session

    def validate(self, entity: str, values: dict[str, Any], record_id: str | None = None) -> dict[str, Any]:
        """The normalised values, or ValidationFailed — without writing anything."""
        spec = spec_for(entity)
        existing = self.service._load(self.session, spec, record_id) if record_id else None
        return self.service._validate(self.session, spec, values, existing)

    def create(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        svc, s, spec = self.service, self.session, spec_for(entity)
        clean = svc._validate(s, spec, values, None)
        obj = spec.model(**clean)
        s.add(obj)
        s.flush()
        pd_status.after_write(s, entity, [obj.id])
        audit.write(s, svc.actor, "create", entity, obj.id, None, clean, svc._summary(s, spec, obj))
        write_hooks.run(self, entity, [obj.id])
        return svc._as_dict(s, spec, obj)

    def delete(self, entity: str, record_id: str) -> int:
        """Moves a record (and what it owns) to the bin inside this transaction."""
        svc, s, spec = self.service, self.session, spec_for(entity)
        obj = svc._load(s, spec, record_id)
        svc._refuse_if_referenced(s, spec, obj.id)
        stamp = utcnow()
        n = svc._mark_deleted(s, spec, [obj.id], stamp)
        pd_status.after_write(s, entity, [obj.id])
        audit.write(s, svc.actor, "delete", entity, obj.id, {"deleted_at": None}, {"deleted_at": stamp},
                    svc._summary(s, spec, obj))
        write_hooks.run(self, entity, [obj.id])
        return n

    def update(self, entity: str, record_id: str, changes: dict[str, Any], *,
               expected_version: int | None = None) -> dict[str, Any]:
        svc, s, spec = self.service, self.session, spec_for(entity)
        obj = svc._load(s, spec, record_id)
        if expected_version is not None and obj.row_version != expected_version:
            raise concurrent_edit(svc, spec, obj.id)
        svc._refuse_if_foreign(s, spec, obj)
        clean = svc._validate(s, spec, changes, obj)
        before = {k: getattr(obj, k) for k in clean if getattr(obj, k) != clean[k]}
        after = {k: clean[k] for k in before}
        for k, v in after.items():
            setattr(obj, k, v)
        if after:
            try:
                s.flush()
            except StaleDataError:
                # Saved by someone else between our read and our write: the UPDATE matched no row.
                raise concurrent_edit(svc, spec, record_id) from None
            pd_status.after_write(s, entity, [obj.id])
            audit.write(s, svc.actor, "update", entity, obj.id, before, after, svc._summary(s, spec, obj))
            write_hooks.run(self, entity, [obj.id])
        return svc._as_dict(s, spec, obj)
