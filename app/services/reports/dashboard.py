"""The figures and charts of «Главная»: a few aggregate queries, each tied to the list that shows its records.

Every number comes with the Target that opens exactly those records (the same
filter the list uses, with the same date limits), so that a click on a figure
lands on a list whose count is the figure. The professional-development
counts are one pass over the teacher table with the limits computed from the
Python rule (rules.last_base_due_by), as development_pd does.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import and_, case, func, select

from app.domain import deadlines, rules
from app.domain import enums as E
from app.services.reports.attention import AttentionGroup, attention_groups, young_without_mentor_count
from app.services.development.common import organization_label
from app.services.common.record_target import Target
from app.services.registry.deadline_settings import deadline_windows
from app.storage.database import Database
from app.storage.models import Event, Material, Organization, Teacher

TOP_ORGANIZATIONS = 10
PD_STATUS_ORDER = ("ok", "due_soon", "overdue", "unknown")
PD_STATUS_LABELS = {s.value: s.label for s in rules.PdStatus}
EVENT_STATUS_ORDER = tuple(s.value for s in E.EventStatus)
MATERIAL_STATUS_ORDER = tuple(s.value for s in E.MaterialStatus)
NO_STATUS = "нет статуса"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    text: str                   # as shown: «1 234», «87,5 %»
    hint: str                   # what exactly is counted (tooltip)
    target: Target
    tone: str = "normal"        # normal | warning | alarm


@dataclass(frozen=True)
class Bar:
    """One bar or pie slice: a label, a count, and the records behind it (None: nothing to open)."""

    label: str
    value: int
    target: Target | None


@dataclass(frozen=True)
class OrganizationOverdue:
    organization_id: str
    organization: str
    overdue: int


@dataclass
class Dashboard:
    today: date
    teachers: int = 0
    organizations: int = 0
    covered: int = 0                                    # a course within three years (coverage_by_organization)
    pd_counts: dict[str, int] = field(default_factory=dict)         # PD_STATUS_ORDER → teachers
    events_by_month: list[dict[str, int]] = field(default_factory=list)   # 12 × {event status → events}
    events_without_status: list[int] = field(default_factory=list)
    materials_by_status: dict[str, int] = field(default_factory=dict)     # status code ("" when none) → count
    young_without_mentor: int = 0
    overdue_by_organization: list[OrganizationOverdue] = field(default_factory=list)
    attention: list[AttentionGroup] = field(default_factory=list)
    seconds: float = 0.0
    pd_warn_months: int = deadlines.PD_WARN_MONTHS      # the centre's window the «due soon» figure counts

    @property
    def coverage_percent(self) -> float:
        return round(100.0 * self.covered / self.teachers, 1) if self.teachers else 0.0

    @property
    def events_this_year(self) -> int:
        return sum(sum(m.values()) for m in self.events_by_month) + sum(self.events_without_status)

    @property
    def materials(self) -> int:
        return sum(self.materials_by_status.values())


class Cancelled(Exception):
    """The dashboard was asked to stop (the window closes or the data changed meanwhile)."""


def compute_dashboard(db: Database, today: date | None = None,
                      progress: Callable[[float, str], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None, origin: str | None = None) -> Dashboard:
    """All figures, charts and the «На контроле» list, read in a few queries (meant for a worker thread).

    ``origin`` (the region's database) limits the figures and charts to one
    municipality's records; «На контроле» stays the installation's own.
    """
    today = today or date.today()
    started = time.perf_counter()
    out = Dashboard(today)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Педагоги и сроки повышения квалификации", lambda: _teacher_figures(db, today, out, origin)),
        ("Организации", lambda: _organization_figures(db, today, out, origin)),
        ("Мероприятия", lambda: _event_figures(db, today, out, origin)),
        ("Материалы", lambda: _material_figures(db, out, origin)),
        ("Молодые педагоги", lambda: setattr(out, "young_without_mentor",
                                             young_without_mentor_count(db, today, origin))),
        ("На контроле", lambda: setattr(out, "attention", attention_groups(
            db, today, pd_due_soon=out.pd_counts["due_soon"], young_without_mentor=out.young_without_mentor))),
    ]
    for n, (message, step) in enumerate(steps):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        if progress is not None:
            progress(n / len(steps), message)
        step()
    out.seconds = time.perf_counter() - started
    return out


# -- the queries -----------------------------------------------------------------------------

def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _of(model, origin: str | None):
    """Live records, of one municipality when ``origin`` is given."""
    live = model.deleted_at.is_(None)
    return and_(live, model.origin == origin) if origin else live


def _teacher_figures(db: Database, today: date, out: Dashboard, origin: str | None = None) -> None:
    out.pd_warn_months = deadline_windows(db).pd_warn_months
    overdue_by, soon_by = deadlines.pd_limits(today, out.pd_warn_months)
    base = func.coalesce(Teacher.last_pd_on, Teacher.career_start, Teacher.hired_on)
    live = _of(Teacher, origin)
    stmt = select(func.count(),
                  _count(and_(Teacher.last_pd_on.is_not(None), Teacher.last_pd_on > overdue_by)),
                  _count(base > soon_by), _count(and_(base > overdue_by, base <= soon_by)),
                  _count(base <= overdue_by), _count(base.is_(None))).where(live)
    with db.read() as s:
        n, covered, ok, soon, overdue, unknown = s.execute(stmt).one()
        top = s.execute(
            select(Teacher.organization_id, organization_label(Organization), func.count().label("n"))
            .join(Organization, Teacher.organization_id == Organization.id)
            .where(live, base <= overdue_by)
            .group_by(Teacher.organization_id, Organization.short_name, Organization.full_name)
            .order_by(func.count().desc(), organization_label(Organization), Teacher.organization_id)
            .limit(TOP_ORGANIZATIONS)).all()
    out.teachers, out.covered = int(n), int(covered)
    out.pd_counts = {"ok": int(ok), "due_soon": int(soon), "overdue": int(overdue), "unknown": int(unknown)}
    out.overdue_by_organization = [OrganizationOverdue(i, name or "", int(c)) for i, name, c in top]


def _organization_figures(db: Database, today: date, out: Dashboard, origin: str | None = None) -> None:
    with db.read() as s:
        out.organizations = int(s.scalar(select(func.count()).select_from(Organization)
                                         .where(_of(Organization, origin))))


def _event_figures(db: Database, today: date, out: Dashboard, origin: str | None = None) -> None:
    first, last = deadlines.period_bounds("year", today)
    months = [dict.fromkeys(EVENT_STATUS_ORDER, 0) for _ in range(12)]
    without = [0] * 12
    with db.read() as s:
        rows = s.execute(select(Event.starts_on, Event.status, func.count())
                         .where(_of(Event, origin), Event.starts_on.between(first, last))
                         .group_by(Event.starts_on, Event.status)).all()
    for day, status, n in rows:
        if status in months[day.month - 1]:
            months[day.month - 1][status] += int(n)
        else:
            without[day.month - 1] += int(n)
    out.events_by_month, out.events_without_status = months, without


def _material_figures(db: Database, out: Dashboard, origin: str | None = None) -> None:
    with db.read() as s:
        rows = s.execute(select(Material.status, func.count()).where(_of(Material, origin))
                         .group_by(Material.status)).all()
    counts = dict.fromkeys(MATERIAL_STATUS_ORDER, 0)
    for status, n in rows:
        key = status if status in counts else ""
        counts[key] = counts.get(key, 0) + int(n)
    out.materials_by_status = counts


# -- what the page shows ------------------------------------------------------------------------

def format_number(n: float) -> str:
    """1234 → «1 234»; 87.5 → «87,5» (Russian digit grouping and decimal comma)."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}".replace(",", "\u00a0").replace(".", ",")
    return f"{int(n):,}".replace(",", "\u00a0")


def figures(d: Dashboard) -> list[Figure]:
    """The key figures, in the order the page shows them."""
    months = d.pd_warn_months
    in_review = d.materials_by_status.get(E.MaterialStatus.IN_REVIEW.value, 0)
    return [
        Figure("teachers", "Педагогов", d.teachers, format_number(d.teachers),
               "Педагоги в реестре (без удалённых)", Target.records("teachers")),
        Figure("organizations", "Организаций", d.organizations, format_number(d.organizations),
               "Организации в реестре (без удалённых)", Target.records("organizations")),
        Figure("coverage", "Охват ПК за 3 года", d.coverage_percent, f"{format_number(d.coverage_percent)}\u00a0%",
               f"Прошли повышение квалификации за последние три года: {format_number(d.covered)} "
               f"из {format_number(d.teachers)} педагогов", Target.report_tab("pd_coverage")),
        Figure("overdue", "Просрочено ПК", d.pd_counts.get("overdue", 0),
               format_number(d.pd_counts.get("overdue", 0)),
               "Педагоги, у которых трёхлетний срок повышения квалификации уже истёк",
               Target.records("teachers", pd_status="overdue"), "alarm" if d.pd_counts.get("overdue") else "normal"),
        Figure("due_soon", f"ПК в ближайшие {months} мес.", d.pd_counts.get("due_soon", 0),
               format_number(d.pd_counts.get("due_soon", 0)),
               f"Педагоги, которым пройти повышение квалификации нужно в ближайшие {deadlines.months_text(months)}",
               Target.records("teachers", pd_status="due_soon"),
               "warning" if d.pd_counts.get("due_soon") else "normal"),
        Figure("events", f"Мероприятий в {d.today.year} году", d.events_this_year, format_number(d.events_this_year),
               f"Сетевые мероприятия с датой начала в {d.today.year} году, включая запланированные и отменённые",
               Target.records("events", period="year")),
        Figure("materials_in_review", "Материалов на экспертизе", in_review, format_number(in_review),
               f"Методические материалы со статусом «{E.MaterialStatus.IN_REVIEW.label}» "
               f"(всего материалов: {format_number(d.materials)})",
               Target.records("materials", status=E.MaterialStatus.IN_REVIEW.value)),
        Figure("young_without_mentor", "Молодых без наставника", d.young_without_mentor,
               format_number(d.young_without_mentor),
               "Молодые педагоги (до 35 лет или стаж менее 3 лет), у которых сегодня нет наставника",
               Target.report_tab("young_without_mentor"), "warning" if d.young_without_mentor else "normal"),
    ]


def pd_status_bars(d: Dashboard) -> list[Bar]:
    return [Bar(PD_STATUS_LABELS[k], d.pd_counts.get(k, 0), Target.records("teachers", pd_status=k))
            for k in PD_STATUS_ORDER]


def event_month_bars(d: Dashboard) -> dict[str, list[Bar]]:
    """Per event status, twelve bars (January…December of the current year)."""
    out = {}
    for status in EVENT_STATUS_ORDER:
        out[status] = [Bar(deadlines.MONTH_SHORT[m], d.events_by_month[m][status],
                           Target.records("events", period=deadlines.period_code(m + 1), status=status))
                       for m in range(12)]
    return out


def material_status_bars(d: Dashboard) -> list[Bar]:
    bars = [Bar(E.MaterialStatus.label_of(k), d.materials_by_status.get(k, 0), Target.records("materials", status=k))
            for k in MATERIAL_STATUS_ORDER]
    if d.materials_by_status.get(""):
        bars.append(Bar(NO_STATUS, d.materials_by_status[""], None))
    return bars


def overdue_organization_bars(d: Dashboard) -> list[Bar]:
    return [Bar(o.organization, o.overdue, Target.records("teachers", organization_id=o.organization_id,
                                                          pd_status="overdue"))
            for o in d.overdue_by_organization]
