"""Individual routes (ИОМ, seed 003): group routes from a template, and the data of route documents.

``create_group_routes`` writes through RecordService.batch(): every route and
item is validated and audited exactly as a single write is, and the whole
group is one transaction — one bad teacher or item and nothing is created.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import enums as E
from app.domain import rules
from app.domain.names import search_key
from app.domain.validators import format_date
from app.services.common.actor import Actor
from app.services.development.common import (
    TeacherInfo, competence_labels, formality_label, item_credits, kind_label, load_teacher, pd_settings,
    round2, status_label, teacher_info_in,
)
from app.services.common.errors import NotFound, ServiceError, ValidationFailed
from app.services.registry.service import RecordService
from app.storage.database import Database
from app.storage.models import (
    Diagnostic, DiagnosticResult, Organization, Programme, Teacher, Trajectory, TrajectoryItem,
)

# -- group routes from a template -------------------------------------------------------------


@dataclass(frozen=True)
class ItemTemplate:
    kind: str                           # ItemKind code or label
    formality: str                      # Formality code or label
    title: str = ""                     # empty: the programme's title
    programme_id: str | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    hours: float = 0.0                  # 0 with a programme: the programme's hours
    credits: float | None = None        # None: the programme's, or computed from the hours


@dataclass(frozen=True)
class RouteTemplate:
    period_start: date
    period_end: date
    goals: str = ""
    deficits: Sequence[str] | str = ()  # competence codes (or labels), or a comma-separated string
    items: Sequence[ItemTemplate] = field(default_factory=tuple)
    status: str = E.TrajectoryStatus.DRAFT.value


def _deficit_codes(deficits: Sequence[str] | str) -> str:
    parts = deficits.split(",") if isinstance(deficits, str) else list(deficits)
    by_label = {search_key(label): code for code, label in E.COMPETENCES}
    codes = []
    for part in parts:
        text = str(part).strip()
        if not text:
            continue
        code = text if text in E.COMPETENCE_LABELS else by_label.get(search_key(text))
        if code is None:
            known = ", ".join(E.COMPETENCE_LABELS)
            raise ServiceError(f"Дефицит «{text}» не найден среди компетенций (коды: {known}).")
        if code not in codes:
            codes.append(code)
    return ",".join(codes)


def _item_values(s: Session, template: ItemTemplate, per_credit: int) -> dict:
    programme = None
    if template.programme_id:
        programme = s.get(Programme, template.programme_id)
        if programme is None or programme.deleted_at is not None:
            raise ServiceError(f"Программа с идентификатором {template.programme_id} не найдена.")
    title = (template.title or "").strip() or (programme.title if programme else "")
    hours = float(template.hours or 0) or (float(programme.hours) if programme else 0.0)
    if template.credits is not None:
        credits = float(template.credits)
    elif programme is not None and programme.credits and hours == float(programme.hours):
        credits = float(programme.credits)
    else:
        credits = rules.credits_from_hours(hours, per_credit) if hours > 0 else 0.0
    return {
        "kind": template.kind, "formality": template.formality, "title": title,
        "programme_id": template.programme_id or None,
        "organization_id": programme.provider_id if programme is not None else None,
        "status": E.ItemStatus.PLANNED.value, "planned_start": template.planned_start,
        "planned_end": template.planned_end, "hours": hours, "credits": credits,
    }


class GroupRoutesCancelled(ServiceError):
    """The user cancelled: the transaction is rolled back and no route is created."""


def create_group_routes(db: Database, actor: Actor | None, teacher_ids: Iterable[str],
                        template: RouteTemplate, *, progress: Callable[[float, str], None] | None = None,
                        is_cancelled: Callable[[], bool] | None = None) -> list[str]:
    """One route with the template's items for every teacher, in ONE transaction; the new route ids.

    Unknown or deleted teachers, an unknown programme, a deficit that is not a
    competence or an item that fails validation refuse the whole group (ServiceError).
    ``progress(fraction, message)`` is called per teacher; ``is_cancelled()``
    returning True rolls everything back (GroupRoutesCancelled).
    """
    ids = list(dict.fromkeys(str(t).strip() for t in teacher_ids if str(t).strip()))
    if not ids:
        raise ServiceError("Не выбран ни один педагог: маршруты не созданы.")
    if not template.items:
        raise ServiceError("В шаблоне маршрута нет ни одного элемента.")
    deficits = _deficit_codes(template.deficits)
    per_credit = pd_settings(db).hours_per_credit
    service = RecordService(db, actor)
    created: list[str] = []
    with service.batch() as b:
        s = b.session
        live = set(s.scalars(select(Teacher.id).where(Teacher.id.in_(ids), Teacher.deleted_at.is_(None))))
        missing = [t for t in ids if t not in live]
        if missing:
            shown = ", ".join(missing[:5]) + (f" и ещё {len(missing) - 5}" if len(missing) > 5 else "")
            raise NotFound(f"Не найдены педагоги ({len(missing)}): {shown}. Маршруты не созданы.")
        items = [_item_values(s, t, per_credit) for t in template.items]
        for done, teacher_id in enumerate(ids):
            if is_cancelled is not None and is_cancelled():
                raise GroupRoutesCancelled("Создание маршрутов отменено: ни один маршрут не создан.")
            if progress is not None:
                progress(done / len(ids), f"Маршрут {done + 1} из {len(ids)}")
            try:
                route = b.create("trajectories", {
                    "teacher_id": teacher_id, "period_start": template.period_start,
                    "period_end": template.period_end, "goals": template.goals or "", "deficits": deficits,
                    "status": template.status})
            except ValidationFailed as exc:
                raise ServiceError(f"Маршрут: {exc}. Маршруты не созданы.") from exc
            for n, values in enumerate(items, 1):
                try:
                    b.create("trajectory_items", {"trajectory_id": route["id"], **values})
                except ValidationFailed as exc:
                    raise ServiceError(f"Элемент {n} «{values['title']}»: {exc}. Маршруты не созданы.") from exc
            created.append(route["id"])
    return created


# -- route documents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteItem:
    id: str
    number: int
    title: str
    kind: str
    kind_label: str
    formality: str
    formality_label: str
    status: str
    status_label: str
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    hours: float
    credits: float
    credits_computed: bool
    document_number: str
    document_date: date | None
    organization: str


@dataclass(frozen=True)
class RouteTotals:
    planned_items: int          # all but cancelled
    planned_hours: float
    planned_credits: float
    done_items: int             # completed
    done_hours: float
    done_credits: float


@dataclass(frozen=True)
class Deficit:
    competence: str
    label: str
    score: float | None
    max_score: float | None


@dataclass(frozen=True)
class RouteData:
    id: str
    period_start: date
    period_end: date
    status: str
    status_label: str
    goals: str
    deficits: tuple[Deficit, ...]
    deficits_source: str        # «диагностика от 12.03.2025 (…)» or «маршрут»
    items: tuple[RouteItem, ...]
    totals: RouteTotals


@dataclass(frozen=True)
class IomDocument:
    teacher: TeacherInfo
    route: RouteData
    routes_count: int           # how many live routes the teacher has
    municipality: str
    today: date
    hours_per_credit: int


@dataclass(frozen=True)
class GroupMember:
    teacher: TeacherInfo
    route: RouteData | None     # None: no route yet


@dataclass(frozen=True)
class GroupPlan:
    title: str
    organization: str           # "" for a list of teachers
    members: tuple[GroupMember, ...]
    municipality: str
    today: date


def choose_route(s: Session, teacher_id: str, today: date, route_id: str | None = None) -> Trajectory | None:
    """The given route, else the current one (its period covers today), else the latest."""
    if route_id:
        route = s.get(Trajectory, str(route_id))
        if route is None or route.deleted_at is not None:
            raise NotFound(f"Маршрут с идентификатором {route_id} не найден.")
        if route.teacher_id != teacher_id:
            raise ServiceError(f"Маршрут {route_id} принадлежит другому педагогу.")
        return route
    routes = list(s.scalars(select(Trajectory).where(Trajectory.teacher_id == teacher_id,
                                                     Trajectory.deleted_at.is_(None))))
    if not routes:
        return None
    current = [r for r in routes if r.period_start <= today <= r.period_end]
    pool = current or routes
    return max(pool, key=lambda r: (r.period_start, r.period_end, r.created_at, r.id))


def _deficits(s: Session, route: Trajectory) -> tuple[tuple[Deficit, ...], str]:
    if route.diagnostic_id:
        diag = s.get(Diagnostic, route.diagnostic_id)
        results = list(s.scalars(select(DiagnosticResult).where(
            DiagnosticResult.diagnostic_id == route.diagnostic_id, DiagnosticResult.deleted_at.is_(None),
            DiagnosticResult.is_deficit.is_(True)).order_by(DiagnosticResult.score, DiagnosticResult.competence)))
        if diag is not None and diag.deleted_at is None and results:
            found = tuple(Deficit(r.competence, E.COMPETENCE_LABELS.get(r.competence, r.competence), r.score,
                                  r.max_score) for r in results)
            return found, f"диагностика от {format_date(diag.held_on)} ({diag.instrument})"
    codes = [c.strip() for c in (route.deficits or "").split(",") if c.strip()]
    labels = competence_labels(route.deficits)
    return tuple(Deficit(c, label, None, None) for c, label in zip(codes, labels)), "маршрут" if codes else ""


def route_data(s: Session, route: Trajectory, per_credit: int) -> RouteData:
    stmt = (select(TrajectoryItem, Organization.short_name, Organization.full_name)
            .outerjoin(Organization, TrajectoryItem.organization_id == Organization.id)
            .where(TrajectoryItem.trajectory_id == route.id, TrajectoryItem.deleted_at.is_(None)))
    raw = list(s.execute(stmt))
    raw.sort(key=lambda r: (r[0].planned_start or r[0].actual_start or date.max, r[0].created_at, r[0].id))
    items = []
    for n, (it, org_short, org_full) in enumerate(raw, 1):
        credits, computed = item_credits(it.hours, it.credits, per_credit)
        items.append(RouteItem(
            id=it.id, number=n, title=it.title, kind=it.kind, kind_label=kind_label(it.kind),
            formality=it.formality, formality_label=formality_label(it.formality), status=it.status,
            status_label=status_label(it.status), planned_start=it.planned_start, planned_end=it.planned_end,
            actual_start=it.actual_start, actual_end=it.actual_end, hours=float(it.hours or 0.0), credits=credits,
            credits_computed=computed, document_number=it.document_number or "", document_date=it.document_date,
            organization=org_short or org_full or ""))
    planned = [i for i in items if i.status != E.ItemStatus.CANCELLED.value]
    done = [i for i in items if i.status == E.ItemStatus.COMPLETED.value]
    totals = RouteTotals(len(planned), round2(sum(i.hours for i in planned)), round2(sum(i.credits for i in planned)),
                         len(done), round2(sum(i.hours for i in done)), round2(sum(i.credits for i in done)))
    deficits, source = _deficits(s, route)
    return RouteData(id=route.id, period_start=route.period_start, period_end=route.period_end, status=route.status,
                     status_label=E.TrajectoryStatus.label_of(route.status), goals=route.goals or "",
                     deficits=deficits, deficits_source=source, items=tuple(items), totals=totals)


def iom_document(db: Database, teacher_id: str, route_id: str | None = None,
                 today: date | None = None) -> IomDocument:
    """What the ИОМ document shows: the teacher, the chosen route, its deficits, items and totals."""
    today = today or date.today()
    conf = pd_settings(db)
    with db.read() as s:
        teacher = load_teacher(s, teacher_id)
        info = teacher_info_in(s, teacher, today, conf.warn_months)
        route = choose_route(s, teacher.id, today, route_id)
        if route is None:
            raise ServiceError(f"У педагога {info.full_name} нет индивидуальных образовательных маршрутов.")
        count = len(list(s.scalars(select(Trajectory.id).where(Trajectory.teacher_id == teacher.id,
                                                               Trajectory.deleted_at.is_(None)))))
        return IomDocument(info, route_data(s, route, conf.hours_per_credit), count, conf.municipality_name, today,
                           conf.hours_per_credit)


def group_plan(db: Database, teacher_ids: Iterable[str] | None = None, organization_id: str | None = None,
               today: date | None = None) -> GroupPlan:
    """The route plan of a group: the listed teachers (in that order) or all of an organisation's (by name)."""
    if (teacher_ids is None) == (organization_id is None):
        raise ServiceError("Укажите либо организацию, либо список педагогов.")
    today = today or date.today()
    conf = pd_settings(db)
    with db.read() as s:
        org_name = ""
        if organization_id is not None:
            org = s.get(Organization, organization_id)
            if org is None or org.deleted_at is not None:
                raise NotFound(f"Организация с идентификатором {organization_id} не найдена.")
            org_name = org.short_name or org.full_name
            staff = s.execute(select(Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name)
                              .where(Teacher.organization_id == organization_id, Teacher.deleted_at.is_(None)))
            ids = [r.id for r in sorted(staff, key=lambda r: (search_key(r.last_name, r.first_name, r.middle_name),
                                                               r.id))]
            if not ids:
                raise ServiceError(f"В организации «{org_name}» нет педагогов.")
        else:
            ids = list(dict.fromkeys(str(t).strip() for t in teacher_ids if str(t).strip()))
            if not ids:
                raise ServiceError("Список педагогов пуст.")
        members = []
        for tid in ids:
            teacher = load_teacher(s, tid)
            route = choose_route(s, teacher.id, today)
            members.append(GroupMember(teacher_info_in(s, teacher, today, conf.warn_months),
                                       route_data(s, route, conf.hours_per_credit) if route else None))
    title = f"План маршрутов педагогов: {org_name}" if org_name else "План маршрутов группы педагогов"
    return GroupPlan(title, org_name, tuple(members), conf.municipality_name, today)
