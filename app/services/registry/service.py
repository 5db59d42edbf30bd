"""Create, read, update, delete and list any entity, with validation and audit.

Every public method is one unit of work (one transaction). Values go in as
Python values or user-typed strings and come out as plain dicts; nothing
outside this layer ever sees a session or an ORM object.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator

from sqlalchemy import func, select

from app.domain.enums import COMPETENCE_LABELS
from app.domain.validators import ValidationError, format_date
from app.services.access import audit
from app.services.access.personal_data import mask_for_account
from app.services.common.actor import Actor
from app.services.common.errors import FieldError, ServiceError, ValidationFailed
from app.services.common.fields import REF, display, normalize
from app.services.registry import pd_status, record_filters, write_hooks
from app.services.registry.deadline_settings import read_windows
from app.services.registry.record_access import as_dict, find, load, ref_key, refuse_if_foreign, summary
from app.services.registry.record_batch import Batch, concurrent_edit
from app.services.registry.record_bin import cascade
from app.services.registry.record_query import Filters, list_select, with_derived
from app.services.registry.record_values import clean_values
from app.services.registry.specs import spec_for
from app.storage.database import Database
from app.storage.portable_sql import among

__all__ = ["Batch", "Column", "FilterOption", "Filters", "FULL_ANSWER_MAX", "RecordList", "RecordService",
           "concurrent_edit", "ref_key"]

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


@dataclass(frozen=True)
class RecordList:
    entity: str
    columns: list[Column]
    rows: list[dict[str, Any]]


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
            obj = load(self.db, s, spec, record_id, include_deleted=include_deleted)
            return mask_for_account(self.db, entity, [as_dict(s, spec, obj)])[0]

    def list(self, entity: str, *, search: str | None = None, limit: int | None = None, offset: int = 0,
             order: str | None = None, descending: bool = False, deleted: bool = False,
             filters: Filters = None) -> RecordList:
        spec = spec_for(entity)
        columns = self.columns(entity)
        with self.db.read() as s:
            stmt = list_select(self.db, spec, search, order, descending, deleted, filters)
            if limit is not None:
                stmt = stmt.limit(limit)
            if offset:
                stmt = stmt.offset(offset)
            windows = read_windows(s) if spec.derived else None
            rows = [with_derived(spec, dict(r._mapping), windows) for r in s.execute(stmt)]
        return RecordList(entity, columns, mask_for_account(self.db, entity, rows))

    def count(self, entity: str, *, search: str | None = None, deleted: bool = False,
              filters: Filters = None) -> int:
        spec = spec_for(entity)
        with self.db.read() as s:
            inner = list_select(self.db, spec, search, None, False, deleted, filters, ids_only=True).order_by(None)
            return s.scalar(select(func.count()).select_from(inner.subquery()))

    def ids(self, entity: str, *, search: str | None = None, order: str | None = None,
            descending: bool = False, deleted: bool = False, filters: Filters = None) -> list[str]:
        """All matching ids in display order: a view keeps these and fetches rows lazily."""
        spec = spec_for(entity)
        with self.db.read() as s:
            stmt = list_select(self.db, spec, search, order, descending, deleted, filters, ids_only=True)
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
            matching = list_select(self.db, spec, search, None, False, deleted, filters,
                                         ids_only=True, walk=not indexed).order_by(None)
            probe = list(s.scalars(matching.limit(FULL_ANSWER_MAX + 1)))
            if len(probe) <= FULL_ANSWER_MAX:
                if not probe:
                    return [], 0
                if indexed:
                    ordered = list_select(self.db, spec, search, order, descending, deleted, filters, ids_only=True)
                    return list(s.scalars(ordered)), len(probe)
                ordered = list_select(self.db, spec, None, order, descending, None, ids_only=True)
                return list(s.scalars(ordered.where(among(self.db.engine.dialect.name, m.id, probe)))), len(probe)
            first = list_select(self.db, spec, search, order, descending, deleted, filters,
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
                stmt = list_select(self.db, spec, None, None, False, None).where(
                    among(self.db.engine.dialect.name, spec.model.id, chunk))
                for r in s.execute(stmt):
                    out[r.id] = with_derived(spec, dict(r._mapping), windows)
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
            existing = load(self.db, s, spec, record_id) if record_id else None
            try:
                clean_values(self.db, s, spec, values, existing)
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
        with self.batch() as b:
            obj = load(self.db, b.session, spec, record_id)
            refuse_if_foreign(self.db, b.session, spec, obj)
            return b.bin(entity, obj)

    def restore(self, entity: str, record_id: str) -> int:
        """Brings a record back from the recycle bin with what was deleted together with it."""
        spec = spec_for(entity)
        with self.db.session() as s:
            obj = load(self.db, s, spec, record_id, include_deleted=True)
            if obj.deleted_at is None:
                raise ServiceError(f"Запись «{summary(s, spec, obj)}» не удалена.")
            refuse_if_foreign(self.db, s, spec, obj)
            last = next((e for e in audit.entries(s, entity=entity, record_id=obj.id, limit=20)
                         if e.action in ("delete", "restore")), None)
            if last is not None and last.action == "delete" and last.after.get("merged_into"):
                raise ServiceError(
                    f"Запись «{summary(s, spec, obj)}» была объединена с другой "
                    f"(объединение № {last.after.get('merge_id')}). Чтобы вернуть её, отмените объединение "
                    "в журнале объединений.")
            for f in spec.fields:
                target_id = getattr(obj, f.name) if f.kind == REF else None
                if target_id and find(self.db, s, spec_for(f.ref), target_id) is None:
                    raise ServiceError(
                        f"Нельзя восстановить {spec.singular}: связанная запись (поле «{f.label}») удалена. "
                        "Сначала восстановите её.")
            n = cascade(self.db, s, spec, [obj.id], restore_stamp=obj.deleted_at)
            pd_status.after_write(s, entity, [obj.id])
            audit.write(s, self.actor, "restore", entity, obj.id, {"deleted_at": obj.deleted_at},
                        {"deleted_at": None}, summary(s, spec, obj))
            write_hooks.run(Batch(self, s), entity, [obj.id])
            return n
