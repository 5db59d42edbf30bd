"""Everything about one teacher on one card: personal data, routes (ИОМ), events, materials, credits.

One read-only unit of work gathers it; the result is plain frozen
dataclasses with stored codes and their Russian labels, so a window or a
report shows it without another query.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.services.access.personal_data import mask_for_account
from app.domain import enums as E
from app.domain import rules
from app.domain.enums import COMPETENCE_LABELS
from app.domain.names import format_fio, initials
from app.services.common.errors import NotFound
from app.storage.database import Database
from app.storage.models import (
    Diagnostic, DiagnosticResult, Event, Material, MaterialAuthor, Organization, Participation, Teacher, Trajectory,
    TrajectoryItem,
)


@dataclass(frozen=True)
class TrajectoryItemRow:
    id: str
    kind: str
    kind_label: str
    formality_label: str
    title: str
    status: str
    status_label: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    hours: float
    credits: float
    document_number: str
    document_date: date | None


@dataclass(frozen=True)
class TrajectoryRow:
    id: str
    period_start: date
    period_end: date
    status: str
    status_label: str
    goals: str
    deficits: tuple[str, ...]               # Russian labels of the competences
    items: tuple[TrajectoryItemRow, ...]

    @property
    def completed_items(self) -> int:
        return sum(1 for i in self.items if i.status == E.ItemStatus.COMPLETED.value)


@dataclass(frozen=True)
class ParticipationRow:
    id: str
    event_id: str
    starts_on: date
    ends_on: date | None
    event_title: str
    event_kind_label: str
    role_label: str
    attendance: str
    attendance_label: str
    hours: float
    certificate_number: str


@dataclass(frozen=True)
class DiagnosticRow:
    """A diagnostic of professional deficits (seed 001 §3): when, with what, what it found."""

    id: str
    held_on: date
    instrument: str
    deficits: tuple[str, ...]               # Russian labels of the competences found lacking
    results: int                            # competences scored
    average_percent: float | None           # the mean score as a share of the maximum, in %
    notes: str


@dataclass(frozen=True)
class MaterialRow:
    id: str
    title: str
    kind_label: str
    status_label: str
    subject: str
    submitted_on: date | None
    co_authors: tuple[str, ...]             # the other authors, «Фамилия И. О.»


@dataclass(frozen=True)
class CreditYear:
    year: int | None                        # None: completed items without any date
    items: int
    hours: float
    credits: float


@dataclass(frozen=True)
class TeacherCard:
    id: str
    last_name: str
    first_name: str
    middle_name: str
    birth_date: date | None
    snils: str | None
    email: str | None
    phone: str | None
    organization_id: str | None
    organization_name: str
    position: str
    subjects: str
    qualification_category: str
    qualification_category_label: str
    category_until: date | None
    career_start: date | None
    hired_on: date | None
    consent_on: date | None
    consent_basis: str
    last_pd_on: date | None
    notes: str
    young: bool
    pd_due: date | None
    pd_status: rules.PdStatus
    trajectories: tuple[TrajectoryRow, ...]
    participations: tuple[ParticipationRow, ...]
    materials: tuple[MaterialRow, ...]
    diagnostics: tuple[DiagnosticRow, ...]
    credits_by_year: tuple[CreditYear, ...]
    total_hours: float
    total_credits: float

    @property
    def full_name(self) -> str:
        return format_fio(self.last_name, self.first_name, self.middle_name)

    @property
    def pd_status_label(self) -> str:
        return self.pd_status.label


def _round(x: float) -> float:
    return round(x + 0.0, 2)


def _item_order(item: TrajectoryItemRow) -> tuple:
    """Items in the order they happen: by the first date known, undated last."""
    when = item.planned_start or item.actual_start or item.planned_end or item.actual_end
    return (when is None, when or date.min, item.title, item.id)


def credits_by_year(items: list[TrajectoryItemRow]) -> tuple[tuple[CreditYear, ...], float, float]:
    """Completed items summed per year (latest first, undated last), and the totals of hours and credits."""
    sums: dict[int | None, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for item in items:
        if item.status != E.ItemStatus.COMPLETED.value:
            continue
        when = item.actual_end or item.document_date or item.planned_end
        bucket = sums[when.year if when is not None else None]
        bucket[0] += 1
        bucket[1] += item.hours or 0.0
        bucket[2] += item.credits or 0.0
    years = sorted(sums, key=lambda y: (y is None, -(y or 0)))
    rows = tuple(CreditYear(y, int(sums[y][0]), _round(sums[y][1]), _round(sums[y][2])) for y in years)
    return rows, _round(sum(r.hours for r in rows)), _round(sum(r.credits for r in rows))


def _contacts(db: Database, t) -> dict:
    """СНИЛС, e-mail and phone as this account may see them (masked for эксперт and наблюдатель)."""
    values = {"snils": t.snils, "email": t.email, "phone": t.phone}
    return mask_for_account(db, "teachers", [values])[0]


def _diagnostics(s, teacher_id: str) -> tuple[DiagnosticRow, ...]:
    held = list(s.scalars(
        select(Diagnostic).where(Diagnostic.teacher_id == teacher_id, Diagnostic.deleted_at.is_(None))
        .order_by(Diagnostic.held_on.desc(), Diagnostic.id)))
    results: dict[str, list[DiagnosticResult]] = defaultdict(list)
    if held:
        for r in s.scalars(select(DiagnosticResult).where(
                DiagnosticResult.diagnostic_id.in_([d.id for d in held]), DiagnosticResult.deleted_at.is_(None))
                .order_by(DiagnosticResult.competence)):
            results[r.diagnostic_id].append(r)
    rows = []
    for d in held:
        scored = results.get(d.id, [])
        shares = [r.score / r.max_score * 100 for r in scored if r.max_score]
        rows.append(DiagnosticRow(
            id=d.id, held_on=d.held_on, instrument=d.instrument or "",
            deficits=tuple(COMPETENCE_LABELS.get(r.competence, r.competence) for r in scored if r.is_deficit),
            results=len(scored), average_percent=_round(sum(shares) / len(shares)) if shares else None,
            notes=d.notes or ""))
    return tuple(rows)


def teacher_card(db: Database, teacher_id: str, *, today: date | None = None) -> TeacherCard:
    """The card of a (not deleted) teacher; NotFound otherwise."""
    today = today or date.today()
    with db.read() as s:
        t = s.get(Teacher, str(teacher_id))
        if t is None or t.deleted_at is not None:
            raise NotFound(f"Не найдена запись (педагог) с идентификатором {teacher_id}.")

        organization_name = ""
        if t.organization_id:
            org = s.get(Organization, t.organization_id)
            if org is not None:
                organization_name = org.short_name or org.full_name

        routes = list(s.scalars(
            select(Trajectory)
            .where(Trajectory.teacher_id == t.id, Trajectory.deleted_at.is_(None))
            .order_by(Trajectory.period_start.desc(), Trajectory.id)))
        items_of: dict[str, list[TrajectoryItemRow]] = defaultdict(list)
        if routes:
            for i in s.scalars(
                    select(TrajectoryItem)
                    .where(TrajectoryItem.trajectory_id.in_([r.id for r in routes]),
                           TrajectoryItem.deleted_at.is_(None))):
                items_of[i.trajectory_id].append(TrajectoryItemRow(
                    id=i.id, kind=i.kind, kind_label=E.ItemKind.label_of(i.kind),
                    formality_label=E.Formality.label_of(i.formality), title=i.title,
                    status=i.status, status_label=E.ItemStatus.label_of(i.status),
                    planned_start=i.planned_start, planned_end=i.planned_end,
                    actual_start=i.actual_start, actual_end=i.actual_end,
                    hours=i.hours or 0.0, credits=i.credits or 0.0,
                    document_number=i.document_number or "", document_date=i.document_date))
        for rows in items_of.values():
            rows.sort(key=_item_order)
        trajectories = tuple(TrajectoryRow(
            id=r.id, period_start=r.period_start, period_end=r.period_end, status=r.status,
            status_label=E.TrajectoryStatus.label_of(r.status), goals=r.goals or "",
            deficits=tuple(COMPETENCE_LABELS.get(c.strip(), c.strip())
                           for c in (r.deficits or "").split(",") if c.strip()),
            items=tuple(items_of.get(r.id, ()))) for r in routes)

        participations = tuple(ParticipationRow(
            id=p.id, event_id=e.id, starts_on=e.starts_on, ends_on=e.ends_on, event_title=e.title,
            event_kind_label=E.EventKind.label_of(e.kind), role_label=E.ParticipationRole.label_of(p.role),
            attendance=p.attendance, attendance_label=E.Attendance.label_of(p.attendance),
            hours=p.hours or 0.0, certificate_number=p.certificate_number or "")
            for p, e in s.execute(
                select(Participation, Event).join(Event, Event.id == Participation.event_id)
                .where(Participation.teacher_id == t.id, Participation.deleted_at.is_(None),
                       Event.deleted_at.is_(None))
                .order_by(Event.starts_on.desc(), Event.id)))

        authored = list(s.scalars(
            select(Material).join(MaterialAuthor, MaterialAuthor.material_id == Material.id)
            .where(MaterialAuthor.teacher_id == t.id, MaterialAuthor.deleted_at.is_(None),
                   Material.deleted_at.is_(None))
            .order_by(Material.submitted_on.desc().nulls_last(), Material.title, Material.id).distinct()))
        co_authors: dict[str, list[str]] = defaultdict(list)
        if authored:
            for material_id, last, first, middle in s.execute(
                    select(MaterialAuthor.material_id, Teacher.last_name, Teacher.first_name, Teacher.middle_name)
                    .join(Teacher, Teacher.id == MaterialAuthor.teacher_id)
                    .where(MaterialAuthor.material_id.in_([m.id for m in authored]),
                           MaterialAuthor.deleted_at.is_(None), MaterialAuthor.teacher_id != t.id,
                           Teacher.deleted_at.is_(None))
                    .order_by(Teacher.last_name, Teacher.first_name)):
                co_authors[material_id].append(initials(last, first, middle))
        materials = tuple(MaterialRow(
            id=m.id, title=m.title, kind_label=E.MaterialKind.label_of(m.kind),
            status_label=E.MaterialStatus.label_of(m.status), subject=m.subject or "",
            submitted_on=m.submitted_on, co_authors=tuple(co_authors.get(m.id, ()))) for m in authored)

        diagnostics = _diagnostics(s, t.id)
        all_items = [i for r in trajectories for i in r.items]
        by_year, total_hours, total_credits = credits_by_year(all_items)
        base = t.career_start or t.hired_on
        due = rules.next_pd_due(t.last_pd_on, base)
        return TeacherCard(
            id=t.id, last_name=t.last_name, first_name=t.first_name, middle_name=t.middle_name or "",
            birth_date=t.birth_date, **_contacts(db, t),
            organization_id=t.organization_id, organization_name=organization_name,
            position=t.position or "", subjects=t.subjects or "",
            qualification_category=t.qualification_category or "",
            qualification_category_label=E.QualificationCategory.label_of(t.qualification_category or None),
            category_until=t.category_until, career_start=t.career_start, hired_on=t.hired_on,
            consent_on=t.consent_on, consent_basis=t.consent_basis or "", last_pd_on=t.last_pd_on,
            notes=t.notes or "", young=rules.is_young_teacher(t.birth_date, t.career_start, today),
            pd_due=due, pd_status=rules.pd_status(due, today),
            trajectories=trajectories, participations=participations, materials=materials,
            diagnostics=diagnostics, credits_by_year=by_year, total_hours=total_hours, total_credits=total_credits)
