"""Spreadsheet import, step two: the result of an import and the importer that validates and writes rows.

The entity-specific importers are in import_teachers and import_organizations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from app.domain import names
from app.domain.validators import ValidationError
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.registry.specs import spec_for
from app.services.common.errors import FieldError, ServiceError, ValidationFailed
from app.services.common.fields import normalize
from app.services.importing.plan import PROGRESS_EVERY, CancelFn, ImportPlan, ProgressFn, data_rows
from app.services.importing.targets import (CONSENT, FIO, INN_KPP, KIND_TITLES, ORGANIZATION, ORGANIZATION_INN,
                                            ORGANIZATIONS, TEACHERS)
from app.services.importing.rows import is_caption, is_footer, is_repeated_header, non_empty, org_key
from app.services.registry.service import Batch, RecordService
from app.services.importing.reader import SheetData, SheetRow, read_table
from app.storage.base import new_id
from app.storage.database import Database
from app.storage.models import Organization


@dataclass(frozen=True)
class RejectedRow:
    sheet: str
    row_number: int
    column: str                     # «C (СНИЛС)», or "" when the problem is the whole row
    reason: str

    def __str__(self) -> str:
        where = f"Строка {self.row_number}" + (f", столбец {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class SkippedRow:
    row_number: int
    reason: str


@dataclass
class ImportResult:
    kind: str
    path: str
    sheet: str
    all_or_nothing: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    created_organizations: list[str] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows_read: int = 0
    committed: bool = False
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def rejected_rows(self) -> int:
        """How many sheet rows were rejected (a row may have several problems)."""
        return len({r.row_number for r in self.rejected})

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.created_organizations)

    def outcome(self) -> str:
        if self.cancelled:
            return "Импорт отменён: база данных не изменена."
        if self.committed:
            return "Изменения записаны в базу данных."
        if self.all_or_nothing and self.rejected:
            return "Режим «всё или ничего»: есть отклонённые строки, поэтому в базу ничего не записано."
        return "В базу ничего не записано: новых или изменённых данных нет."

    def summary_lines(self) -> list[str]:
        """The result in Russian, for the CLI, the dialog and the report.

        When nothing was committed the counts say what the import would have
        done, and the wording says so.
        """
        what = KIND_TITLES.get(self.kind, "")
        lines = [f"Импорт {what} из «{Path(self.path).name}», лист «{self.sheet}»."]
        if self.committed or not self.changed:
            lines.append(f"Создано: {self.created}; обновлено: {self.updated}; без изменений: {self.unchanged}; "
                         f"отклонено строк: {self.rejected_rows}.")
        else:
            lines.append(f"Не записано: было бы создано {self.created}, обновлено {self.updated}; "
                         f"без изменений: {self.unchanged}; отклонено строк: {self.rejected_rows}.")
        if self.created_organizations:
            verb = "Созданы организации" if self.committed else "Были бы созданы организации"
            lines.append(f"{verb} ({len(self.created_organizations)}): " + "; ".join(self.created_organizations))
        if self.skipped:
            numbers = [str(s.row_number) for s in self.skipped[:10]] + (["…"] if len(self.skipped) > 10 else [])
            lines.append(f"Пропущено строк: {len(self.skipped)} ({', '.join(numbers)}) — подзаголовки, повторы "
                         "заголовка, подписи под таблицей.")
        lines.append(self.outcome())
        return lines


class _Rollback(Exception):
    """Leaves the import's transaction without committing it."""


def _yo_dropped(stored: Any, given: Any) -> bool:
    return (isinstance(stored, str) and isinstance(given, str) and ("ё" in stored or "Ё" in stored)
            and stored.replace("ё", "е").replace("Ё", "Е") == given)


@dataclass
class ImportRow:
    """One data row on its way in: the values by target and what went wrong."""

    number: int
    raw: dict[str, Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str | None, str]] = field(default_factory=list)      # (target or field, reason)

    def has_error(self, *keys: str) -> bool:
        return any(e[0] in keys for e in self.errors)


@dataclass
class NewOrganization:
    """An organisation a row names that is not in the database; created with its first valid row."""

    name: str
    inn: str | None
    id: str | None = None


@dataclass
class Known:
    """A record in the database (or created by this import) as plain stored values."""

    id: str
    values: dict[str, Any]


# Entity fields reported under the column of a special target.
_FIELD_COLUMNS = {
    "last_name": (FIO,), "first_name": (FIO,), "middle_name": (FIO,),
    "organization_id": (ORGANIZATION, ORGANIZATION_INN),
    "consent_on": (CONSENT,), "consent_basis": (CONSENT,),
    "inn": (INN_KPP,), "kpp": (INN_KPP,),
    "full_name": ("short_name",),
}


class Importer:
    # The session is flushed and emptied every so many rows: SQLAlchemy's
    # bulk UPDATE of the change counter scans the identity map, so a map that
    # grows with every row would make the import quadratic.
    SESSION_CHUNK = 200

    def __init__(self, db: Database, plan: ImportPlan, actor: Actor | None, all_or_nothing: bool,
                 progress: ProgressFn | None, is_cancelled: CancelFn | None):
        self.db = db
        self.plan = plan
        self.service = RecordService(db, actor)
        self.all_or_nothing = all_or_nothing
        self.progress = progress or (lambda fraction, message: None)
        self.is_cancelled = is_cancelled or (lambda: False)
        self.result = ImportResult(plan.kind, plan.path, plan.sheet, all_or_nothing)
        self.columns = {t: c for c, t in plan.mapping.items() if t}
        self.spec = spec_for(plan.kind)
        self.field_names = [f.name for f in self.spec.fields]
        self.batch: Batch | None = None
        self.touched: dict[str, int] = {}          # record id → the row that matched or created it

    # -- reporting ------------------------------------------------------
    def column_for(self, target: str | None) -> str:
        if target is None:
            return ""
        col = self.columns.get(target)
        if col is None:
            for alias in _FIELD_COLUMNS.get(target, ()):
                col = self.columns.get(alias)
                if col is not None:
                    break
        return self.plan.column_label(col) if col is not None else ""

    def reject(self, row: ImportRow) -> None:
        seen = set()
        for target, reason in row.errors:
            column = self.column_for(target)
            if not column and target and self.spec.has_field(target):
                reason = f"«{self.spec.field(target).label}»: {reason}"
            if (column, reason) in seen:
                continue
            seen.add((column, reason))
            self.result.rejected.append(RejectedRow(self.plan.sheet, row.number, column, reason))

    @staticmethod
    def field_errors(row: ImportRow, exc: ValidationFailed) -> None:
        for e in exc.errors:
            if not row.has_error(e.field):
                row.errors.append((e.field, e.message))

    def create_or_update(self, row: ImportRow, known: Known | None, create: Callable[[], Known]) -> None:
        """A valid row: a new record (``create`` writes and remembers it) or the changes to ``known``;
        what the record services refuse rejects the row, with their reasons."""
        try:
            if known is None:
                created = create()
                self.touched[created.id] = row.number
                self.result.created += 1
            else:
                self.update(row, known)
        except ValidationFailed as exc:
            self.field_errors(row, exc)
            self.reject(row)

    # -- the run --------------------------------------------------------
    def run(self) -> ImportResult:
        problems = self.plan.problems()
        if problems:
            raise ServiceError("Импорт невозможен: " + " ".join(problems))
        started = datetime.now()
        self.progress(0.0, f"Чтение файла «{Path(self.plan.path).name}»…")
        data = read_table(self.plan.path, self.plan.sheet)
        rows = data_rows(data, self.plan)
        total = max(len(rows), 1)
        try:
            with self.service.batch() as batch:
                self.batch = batch
                self.preload(batch.session)
                for i, sheet_row in enumerate(rows):
                    if self.is_cancelled():
                        self.result.cancelled = True
                        raise _Rollback
                    if i % PROGRESS_EVERY == 0:
                        self.progress(i / total, f"Строка {sheet_row.number} ({i} из {len(rows)})")
                    if i and i % self.SESSION_CHUNK == 0:
                        batch.session.flush()
                        batch.session.expunge_all()
                        self.hold_organizations(batch.session)
                    if self.classify(sheet_row, data) == "stop":
                        break
                if self.is_cancelled():
                    self.result.cancelled = True
                    raise _Rollback
                if self.all_or_nothing and self.result.rejected:
                    raise _Rollback
                if not self.result.changed:
                    raise _Rollback
                self.progress(1.0, "Запись в базу данных…")
        except _Rollback:
            self.result.committed = False
        else:
            self.result.committed = True
        finally:
            self.batch = None
        self.result.seconds = (datetime.now() - started).total_seconds()
        self.progress(1.0, "Готово")
        return self.result

    def classify(self, sheet_row: SheetRow, data: SheetData) -> str | None:
        if sheet_row.is_blank():
            return None
        if is_footer(sheet_row, self.plan):
            self.result.skipped.append(SkippedRow(sheet_row.number, "подпись или итоговая строка под таблицей; "
                                                                    "строки ниже не импортируются"))
            return "stop"
        if is_repeated_header(sheet_row, self.plan):
            self.result.skipped.append(SkippedRow(sheet_row.number, "повтор строки заголовка"))
            return None
        if is_caption(sheet_row, data, self.plan.kind):
            self.result.skipped.append(SkippedRow(sheet_row.number, "подзаголовок внутри таблицы"))
            return None
        raw = {t: sheet_row.value(c) for t, c in self.columns.items()}
        if all(v is None for v in raw.values()):
            self.result.skipped.append(SkippedRow(sheet_row.number, "нет значений в импортируемых столбцах"))
            return None
        row = ImportRow(sheet_row.number, raw)
        if not self.has_name(row) and len(non_empty(sheet_row)) <= 2:
            self.result.skipped.append(SkippedRow(sheet_row.number, "нет ФИО или наименования"))
            return None
        self.result.rows_read += 1
        self.import_row(row)
        return None

    # -- subclass hooks -------------------------------------------------
    def preload(self, s) -> None:
        raise NotImplementedError

    def has_name(self, row: ImportRow) -> bool:
        raise NotImplementedError

    def import_row(self, row: ImportRow) -> None:
        raise NotImplementedError

    # -- shared steps ---------------------------------------------------
    def load_known(self, s, model) -> list[Known]:
        cols = [getattr(model, n) for n in self.field_names_of(model)]
        stmt = select(model.id, *cols).where(model.deleted_at.is_(None))
        return [Known(r[0], dict(zip(self.field_names_of(model), r[1:]))) for r in s.execute(stmt)]

    @staticmethod
    def field_names_of(model) -> list[str]:
        entity = ORGANIZATIONS if model is Organization else TEACHERS
        return [f.name for f in spec_for(entity).fields]

    def normalized(self, values: dict[str, Any]) -> dict[str, Any]:
        """The stored form of the row's values, as the forms normalise them; ValidationFailed if any is wrong."""
        clean, errors = {}, []
        for k, v in values.items():
            f = self.spec.field(k)
            try:
                clean[k] = normalize(f, v)
            except ValidationError as exc:
                errors.append(FieldError(k, f.label, str(exc)))
        if errors:
            raise ValidationFailed(errors)
        return clean

    def more_errors(self, row: ImportRow, creating: bool) -> None:
        """Adds the field problems of a row rejected for another reason, so one pass shows them all."""
        for k, v in row.values.items():
            if row.has_error(k, *(_FIELD_COLUMNS.get(k, ()))):
                continue
            f = self.spec.field(k)
            try:
                normalize(f, v)
            except ValidationError as exc:
                row.errors.append((k, str(exc)))
        if creating:
            for f in self.spec.fields:
                if f.required and f.name not in row.values and f.name != "kind" \
                        and not row.has_error(f.name, *(_FIELD_COLUMNS.get(f.name, ()))):
                    row.errors.append((f.name, "обязательное поле не заполнено"))

    def changes_for(self, known: Known, clean: dict[str, Any]) -> dict[str, Any]:
        """The non-empty values of the file that differ from the stored ones.

        A text that differs only by «е» written for the stored «ё» (1С and many registries
        drop the letter) is the same: the stored spelling, printed on certificates, stays."""
        return {k: v for k, v in clean.items() if v not in (None, "") and known.values.get(k) != v
                and not _yo_dropped(known.values.get(k), v)}

    # -- organisations, shared by both kinds ------------------------------
    def hold_organizations(self, s) -> None:
        """Keeps the organisations in the session, so that reference checks need no query per row."""
        self._held = list(s.scalars(select(Organization).where(Organization.deleted_at.is_(None))))

    def preload_organizations(self, s) -> None:
        self.hold_organizations(s)
        self.orgs: dict[str, Known] = {}
        self.orgs_by_inn: dict[str, str] = {}
        self.orgs_by_name: dict[str, list[str]] = {}
        for known in self.load_known(s, Organization):
            self.remember_org(known)

    def remember_org(self, known: Known) -> None:
        old = self.orgs.get(known.id)
        if old is not None:
            for ids in self.orgs_by_name.values():
                if known.id in ids:
                    ids.remove(known.id)
            if old.values.get("inn") and self.orgs_by_inn.get(old.values["inn"]) == known.id:
                del self.orgs_by_inn[old.values["inn"]]
        self.orgs[known.id] = known
        inn = known.values.get("inn")
        if inn:
            self.orgs_by_inn.setdefault(inn, known.id)
        for key in {org_key(known.values.get("full_name")), org_key(known.values.get("short_name"))}:
            if key:
                ids = self.orgs_by_name.setdefault(key, [])
                if known.id not in ids:
                    ids.append(known.id)

    def org_display(self, org_id: str) -> str:
        v = self.orgs[org_id].values
        return v.get("short_name") or v.get("full_name") or ""

    def known_from(self, record: dict[str, Any]) -> Known:
        return Known(record["id"], {n: record.get(n) for n in self.field_names})

    def validated(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        """Batch.validate for a new record, without flushing the rows added so far."""
        with self.batch.session.no_autoflush:
            return self.batch.validate(entity, values)

    def insert(self, entity: str, clean: dict[str, Any], summary: str | None = None) -> Known:
        """Adds a validated new record and its audit entry; written with the next flush.

        Batch.create would flush and read every row back (about 2 ms a row);
        adding them and flushing every SESSION_CHUNK rows writes 5,000 rows
        in a fraction of that. The session's flush hook stamps origin, change
        sequence, timestamps and search key exactly as for Batch.create.
        """
        spec = spec_for(entity)
        record_id = new_id()
        self.batch.session.add(spec.model(id=record_id, **clean))
        if summary is not None:
            pass
        elif entity == TEACHERS:
            summary = names.format_fio(clean.get("last_name"), clean.get("first_name"), clean.get("middle_name"))
        else:
            summary = clean.get("short_name") or clean.get("full_name") or clean.get("title") or ""
        audit.write(self.batch.session, self.service.actor, "create", entity, record_id, None, clean, summary)
        return Known(record_id, {n: clean.get(n) for n in (f.name for f in spec.fields)})
