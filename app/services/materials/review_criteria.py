"""Criteria sheets of экспертиза: a sheet of criteria with codes, titles and maximum scores.

The default sheet comes with the database (migration 0008, from the
regulations); methodists edit it or add their own. A review keeps the sheet
it was assigned with; once a sheet is in use its codes and maxima are
fixed (titles may still be corrected), so scores already given keep their
meaning.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.services.common.errors import NotFound, ServiceError
from app.services.registry.service import RecordService
from app.storage.database import Database
from app.storage.models import CriteriaSheet, Review, ReviewCriterion


@dataclass(frozen=True)
class Criterion:
    id: str | None
    code: str
    title: str
    max_score: float


@dataclass(frozen=True)
class Sheet:
    id: str
    title: str
    description: str
    is_default: bool
    criteria: tuple[Criterion, ...]

    @property
    def max_total(self) -> float:
        return sum(c.max_score for c in self.criteria)


def sheet_of(s, row: CriteriaSheet) -> Sheet:
    criteria = s.scalars(select(ReviewCriterion).where(ReviewCriterion.sheet_id == row.id,
                                                       ReviewCriterion.deleted_at.is_(None))
                         .order_by(ReviewCriterion.position, ReviewCriterion.code))
    return Sheet(row.id, row.title, row.description or "", bool(row.is_default),
                 tuple(Criterion(c.id, c.code, c.title, float(c.max_score)) for c in criteria))


def get_sheet(db: Database, sheet_id: str) -> Sheet:
    with db.read() as s:
        row = s.get(CriteriaSheet, sheet_id)
        if row is None:
            raise NotFound(f"Не найден лист экспертной оценки {sheet_id}.")
        return sheet_of(s, row)


def list_sheets(db: Database) -> list[Sheet]:
    with db.read() as s:
        rows = s.scalars(select(CriteriaSheet).where(CriteriaSheet.deleted_at.is_(None))
                         .order_by(CriteriaSheet.is_default.desc(), CriteriaSheet.title))
        return [sheet_of(s, r) for r in rows]


def default_sheet_id(s) -> str | None:
    """The sheet new reviews use: the one marked default (the latest changed), else the first."""
    stmt = select(CriteriaSheet.id).where(CriteriaSheet.deleted_at.is_(None))
    return (s.scalar(stmt.where(CriteriaSheet.is_default.is_(True)).order_by(CriteriaSheet.updated_at.desc()))
            or s.scalar(stmt.order_by(CriteriaSheet.created_at)))


def default_sheet(db: Database) -> Sheet | None:
    with db.read() as s:
        sheet_id = default_sheet_id(s)
    return get_sheet(db, sheet_id) if sheet_id else None


def next_free_code(used: set[str]) -> str:
    """A code for a criterion the user added: codes key the scores and stay out of sight in the GUI."""
    n = 1
    while f"k{n}" in used:
        n += 1
    return f"k{n}"


def check_criteria(criteria: list[Criterion]) -> None:
    """Russian messages naming the row: empty code or title, repeated code, a maximum not above zero."""
    if not criteria:
        raise ServiceError("В листе оценки нет ни одного критерия.")
    seen: set[str] = set()
    for n, c in enumerate(criteria, start=1):
        where = f"Критерий {n}"
        if not c.code.strip():
            raise ServiceError(f"{where}: не указан код.")
        if not c.title.strip():
            raise ServiceError(f"{where}: не указано название.")
        if c.max_score is None or c.max_score <= 0:
            raise ServiceError(f"{where} «{c.title.strip()}»: максимальный балл должен быть больше нуля.")
        if c.code.strip() in seen:
            raise ServiceError(f"{where}: код «{c.code}» уже есть в листе.")
        seen.add(c.code.strip())


def _refuse_changing_used_criteria(s, sheet_id: str, criteria: list[Criterion]) -> None:
    """Scores already given keep their meaning: a sheet used in a review keeps its criteria and maxima."""
    used = s.scalar(select(func.count()).where(Review.sheet_id == sheet_id, Review.deleted_at.is_(None)))
    if not used:
        return
    row = s.get(CriteriaSheet, sheet_id)
    before = [(c.code, c.max_score) for c in sheet_of(s, row).criteria]
    after = [(c.code.strip(), float(c.max_score)) for c in criteria]
    if before != after:
        raise ServiceError(f"По этому листу уже назначены экспертизы ({used}); его критерии и максимальные баллы "
                           "менять нельзя, иначе изменится смысл выставленных баллов. Можно поправить названия "
                           "критериев или создать новый лист оценки.")


def save_sheet(service: RecordService, sheet_id: str | None, title: str, description: str, is_default: bool,
               criteria: list[Criterion]) -> str:
    """Creates or replaces a sheet with its criteria in one transaction; the sheet's id.

    Criteria keep their rows when their id is given (changed in place),
    missing ones go to the bin, new ones are created.
    """
    check_criteria(criteria)
    with service.batch() as b:
        if sheet_id:
            _refuse_changing_used_criteria(b.session, sheet_id, criteria)
        values = {"title": title, "description": description, "is_default": is_default}
        sheet = b.update("criteria_sheets", sheet_id, values) if sheet_id else b.create("criteria_sheets", values)
        s = b.session
        existing = set(s.scalars(select(ReviewCriterion.id).where(ReviewCriterion.sheet_id == sheet["id"],
                                                                  ReviewCriterion.deleted_at.is_(None))))
        kept = {c.id for c in criteria if c.id}
        for gone in existing - kept:
            b.delete("review_criteria", gone)
        for position, c in enumerate(criteria, start=1):
            row = {"code": c.code.strip(), "title": c.title.strip(), "max_score": c.max_score, "position": position}
            if c.id and c.id in existing:
                b.update("review_criteria", c.id, row)
            else:
                b.create("review_criteria", {"sheet_id": sheet["id"], **row})
        if is_default:
            for other in s.scalars(select(CriteriaSheet).where(CriteriaSheet.id != sheet["id"],
                                                               CriteriaSheet.is_default.is_(True))):
                b.update("criteria_sheets", other.id, {"is_default": False})
    return sheet["id"]
