"""The credits ledger (накопительный учёт зачётных единиц, seed 000): what a teacher has completed.

Every completed item of the teacher's live routes counts once, dated by its
actual end (or, failing that, by the date of its document). Credits are taken
as stored; an item stored with 0 credits but some hours gets them computed
with the installation's «hours per credit» setting (1 з.е. = 36 h by default).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.domain import enums as E
from app.services.development.common import (
    formality_label, item_credits, kind_label, load_teacher, pd_settings,
)
from app.storage.database import Database
from app.storage.models import Organization, Trajectory, TrajectoryItem

UNDATED = "Дата не указана"


@dataclass(frozen=True)
class LedgerRow:
    item_id: str
    trajectory_id: str
    on: date | None                 # actual end, or the document's date
    title: str
    kind: str
    kind_label: str
    formality: str
    formality_label: str
    hours: float
    credits: float
    credits_computed: bool          # True: computed from hours, none were stored
    document_number: str
    document_date: date | None
    organization: str               # where it took place (programme provider, internship site)

    @property
    def year(self) -> int | None:
        return self.on.year if self.on else None


@dataclass(frozen=True)
class YearTotal:
    year: int | None
    items: int
    hours: float
    credits: float

    @property
    def label(self) -> str:
        return str(self.year) if self.year is not None else UNDATED


@dataclass(frozen=True)
class GroupTotal:
    key: str                        # the kind or formality code
    label: str
    items: int
    hours: float
    credits: float


@dataclass(frozen=True)
class Ledger:
    teacher_id: str
    hours_per_credit: int
    rows: tuple[LedgerRow, ...]
    by_year: tuple[YearTotal, ...]          # ascending; undated last
    by_kind: tuple[GroupTotal, ...]         # in the order of ItemKind
    by_formality: tuple[GroupTotal, ...]    # in the order of Formality
    total_items: int
    total_hours: float
    total_credits: float

    def year(self, year: int | None) -> YearTotal | None:
        return next((y for y in self.by_year if y.year == year), None)

    def kind(self, code: str) -> GroupTotal | None:
        return next((g for g in self.by_kind if g.key == code), None)

    def formality(self, code: str) -> GroupTotal | None:
        return next((g for g in self.by_formality if g.key == code), None)


def _sum(values) -> float:
    return float(sum((Decimal(str(v)) for v in values), Decimal(0)).quantize(Decimal("0.01")))


def ledger_rows(db: Database, teacher_id: str) -> list[LedgerRow]:
    """Every completed item of the teacher's live routes, oldest first (undated last)."""
    per_credit = pd_settings(db).hours_per_credit
    with db.read() as s:
        load_teacher(s, teacher_id)
        stmt = (
            select(TrajectoryItem, Organization.short_name, Organization.full_name)
            .join(Trajectory, TrajectoryItem.trajectory_id == Trajectory.id)
            .outerjoin(Organization, TrajectoryItem.organization_id == Organization.id)
            .where(Trajectory.teacher_id == str(teacher_id), Trajectory.deleted_at.is_(None),
                   TrajectoryItem.deleted_at.is_(None),
                   TrajectoryItem.status == E.ItemStatus.COMPLETED.value)
        )
        rows = []
        for item, org_short, org_full in s.execute(stmt):
            credits, computed = item_credits(item.hours, item.credits, per_credit)
            rows.append(LedgerRow(
                item_id=item.id, trajectory_id=item.trajectory_id, on=item.actual_end or item.document_date,
                title=item.title, kind=item.kind, kind_label=kind_label(item.kind), formality=item.formality,
                formality_label=formality_label(item.formality), hours=float(item.hours or 0.0),
                credits=credits, credits_computed=computed, document_number=item.document_number or "",
                document_date=item.document_date, organization=org_short or org_full or "",
            ))
    rows.sort(key=lambda r: (r.on is None, r.on or date.min, r.title, r.item_id))
    return rows


def credits_ledger(db: Database, teacher_id: str) -> Ledger:
    """The teacher's accumulated hours and credits: per year, per kind, per formality, and in total."""
    rows = ledger_rows(db, teacher_id)
    per_credit = pd_settings(db).hours_per_credit

    years: dict[int | None, list[LedgerRow]] = defaultdict(list)
    kinds: dict[str, list[LedgerRow]] = defaultdict(list)
    forms: dict[str, list[LedgerRow]] = defaultdict(list)
    for r in rows:
        years[r.year].append(r)
        kinds[r.kind].append(r)
        forms[r.formality].append(r)

    by_year = tuple(
        YearTotal(y, len(rs), _sum(r.hours for r in rs), _sum(r.credits for r in rs))
        for y, rs in sorted(years.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))

    def groups(found: dict[str, list[LedgerRow]], enum) -> tuple[GroupTotal, ...]:
        order = [m.value for m in enum] + sorted(k for k in found if k not in {m.value for m in enum})
        return tuple(GroupTotal(k, enum.label_of(k), len(found[k]), _sum(r.hours for r in found[k]),
                                _sum(r.credits for r in found[k])) for k in order if k in found)

    return Ledger(
        teacher_id=str(teacher_id), hours_per_credit=per_credit, rows=tuple(rows), by_year=by_year,
        by_kind=groups(kinds, E.ItemKind), by_formality=groups(forms, E.Formality),
        total_items=len(rows), total_hours=_sum(r.hours for r in rows), total_credits=_sum(r.credits for r in rows),
    )
