"""What the экспертиза of a material looks like now: rounds, experts, scores, decisions.

Plain frozen dataclasses read in one read transaction; the review window,
the PDFs and the CLI show these and never touch the ORM.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain import enums as E
from app.domain.names import format_fio, initials
from app.services.common.errors import NotFound
from app.services.materials.files import AttachedFile
from app.services.materials.review_criteria import Sheet, sheet_of
from app.storage.database import Database
from app.storage.models import (
    CriteriaSheet, Material, MaterialAuthor, MaterialDecision, MaterialFile, Organization, Review, Teacher,
)

# A material can be sent to experts from these states, and decided on from «На экспертизе».
ASSIGNABLE = (E.MaterialStatus.SUBMITTED.value, E.MaterialStatus.IN_REVIEW.value)
FINAL = (E.MaterialStatus.APPROVED.value, E.MaterialStatus.REJECTED.value)


@dataclass(frozen=True)
class Person:
    id: str
    full_name: str
    short_name: str          # Фамилия И. О.
    position: str
    organization: str


@dataclass(frozen=True)
class ReviewInfo:
    id: str
    round: int
    expert: Person
    assigned_on: date
    due_on: date | None
    decided_on: date | None
    decision: str                       # ReviewDecision code: pending / approved / revision / rejected
    scores: dict[str, float]
    total: float | None
    conclusion: str
    sheet: Sheet | None

    @property
    def decision_label(self) -> str:
        return E.ReviewDecision.label_of(self.decision)

    @property
    def is_pending(self) -> bool:
        return self.decision == E.ReviewDecision.PENDING.value

    def is_overdue(self, today: date) -> bool:
        return self.is_pending and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class DecisionInfo:
    id: str
    round: int
    decision: str
    decided_on: date
    decided_by: str
    comment: str
    protocol_number: str

    @property
    def decision_label(self) -> str:
        return E.CouncilDecision.label_of(self.decision)


@dataclass(frozen=True)
class MaterialReview:
    material_id: str
    title: str
    kind_label: str
    subject: str
    level_label: str
    organization: str
    status: str
    submitted_on: date | None
    current_round: int
    authors: tuple[Person, ...]
    files: tuple[AttachedFile, ...]
    reviews: tuple[ReviewInfo, ...]          # every round, oldest first
    decisions: tuple[DecisionInfo, ...]      # the history, oldest first

    @property
    def status_label(self) -> str:
        return E.MaterialStatus.label_of(self.status)

    @property
    def authors_text(self) -> str:
        return ", ".join(a.short_name for a in self.authors)

    def round_reviews(self, round_no: int | None = None) -> list[ReviewInfo]:
        wanted = self.current_round if round_no is None else round_no
        return [r for r in self.reviews if r.round == wanted]

    def round_files(self, round_no: int | None = None) -> list[AttachedFile]:
        wanted = self.current_round if round_no is None else round_no
        return [f for f in self.files if f.round == wanted]

    def decision_of(self, round_no: int) -> DecisionInfo | None:
        return next((d for d in reversed(self.decisions) if d.round == round_no), None)

    @property
    def can_submit(self) -> bool:
        return self.status == E.MaterialStatus.DRAFT.value

    @property
    def can_assign(self) -> bool:
        return self.status in ASSIGNABLE

    @property
    def can_decide(self) -> bool:
        reviews = self.round_reviews()
        return (self.status == E.MaterialStatus.IN_REVIEW.value and bool(reviews)
                and not any(r.is_pending for r in reviews))

    @property
    def can_revise(self) -> bool:
        return self.status == E.MaterialStatus.REVISION.value


def _person(s, teacher_id: str) -> Person:
    t = s.get(Teacher, teacher_id)
    if t is None:
        return Person(teacher_id, "", "", "", "")
    org = s.get(Organization, t.organization_id) if t.organization_id else None
    return Person(t.id, format_fio(t.last_name, t.first_name, t.middle_name),
                  initials(t.last_name, t.first_name, t.middle_name), t.position or "",
                  (org.short_name or org.full_name) if org is not None else "")


def _scores(text: str | None) -> dict[str, float]:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): float(v) for k, v in raw.items() if isinstance(v, (int, float))} if isinstance(raw, dict) else {}


def _review(s, r: Review, sheets: dict[str, Sheet]) -> ReviewInfo:
    sheet = None
    if r.sheet_id:
        if r.sheet_id not in sheets:
            row = s.get(CriteriaSheet, r.sheet_id)
            if row is not None:
                sheets[r.sheet_id] = sheet_of(s, row)
        sheet = sheets.get(r.sheet_id)
    return ReviewInfo(r.id, r.round or 1, _person(s, r.expert_id), r.assigned_on, r.due_on, r.decided_on,
                      r.decision or E.ReviewDecision.PENDING.value, _scores(r.scores), r.total_score,
                      r.conclusion or "", sheet)


def read_material_review(s, material_id: str) -> MaterialReview:
    m = s.get(Material, material_id)
    if m is None or m.deleted_at is not None:
        raise NotFound(f"Не найден материал {material_id}.")
    org = s.get(Organization, m.organization_id) if m.organization_id else None
    author_ids = s.scalars(select(MaterialAuthor.teacher_id).where(
        MaterialAuthor.material_id == m.id, MaterialAuthor.deleted_at.is_(None)).order_by(MaterialAuthor.created_at))
    files = s.scalars(select(MaterialFile).where(MaterialFile.material_id == m.id, MaterialFile.deleted_at.is_(None))
                      .order_by(MaterialFile.round, MaterialFile.added_at, MaterialFile.file_name))
    reviews = s.scalars(select(Review).where(Review.material_id == m.id, Review.deleted_at.is_(None))
                        .order_by(Review.round, Review.assigned_on, Review.created_at))
    decisions = s.scalars(select(MaterialDecision).where(MaterialDecision.material_id == m.id,
                                                         MaterialDecision.deleted_at.is_(None))
                          .order_by(MaterialDecision.round, MaterialDecision.decided_on, MaterialDecision.created_at))
    sheets: dict[str, Sheet] = {}
    return MaterialReview(
        m.id, m.title, E.MaterialKind.label_of(m.kind), m.subject or "", E.EducationLevel.label_of(m.level or None),
        (org.short_name or org.full_name) if org is not None else "", m.status, m.submitted_on,
        m.current_round or 1, tuple(_person(s, t) for t in author_ids),
        tuple(AttachedFile(f.id, f.file_name, f.sha256, f.size, f.round or 1, f.added_at) for f in files),
        tuple(_review(s, r, sheets) for r in reviews),
        tuple(DecisionInfo(d.id, d.round, d.decision, d.decided_on, d.decided_by or "", d.comment or "",
                           d.protocol_number or "") for d in decisions))


def material_review(db: Database, material_id: str) -> MaterialReview:
    with db.read() as s:
        return read_material_review(s, material_id)


def review_with_material(db: Database, review_id: str) -> tuple[ReviewInfo, MaterialReview]:
    """One expert's review and the material it belongs to."""
    with db.read() as s:
        r = s.get(Review, review_id)
        if r is None or r.deleted_at is not None:
            raise NotFound(f"Не найдена экспертиза {review_id}.")
        state = read_material_review(s, r.material_id)
    return next(x for x in state.reviews if x.id == review_id), state
