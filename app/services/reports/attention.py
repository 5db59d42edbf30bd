"""«На контроле»: what needs doing before its date — agreements running out, requests and reviews
whose deadline is near or past, teachers whose professional development falls due, young
teachers left without a mentor.

Each group counts exactly the records of the list filter it opens (the registry
specs build those filters from the same windows, the centre's settings read by
registry/deadline_settings), and names its most urgent records, each opening
that record in the filtered list.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, or_, select

from app.domain import deadlines, rules
from app.domain import enums as E
from app.domain.names import initials
from app.domain.validators import format_date
from app.services.common.record_target import Target
from app.services.registry.deadline_settings import deadline_windows
from app.storage.database import Database
from app.storage.models import Agreement, InfoRequest, Material, Mentorship, Review, Teacher

ITEMS_PER_GROUP = 5
SUBJECT_CHARS = 70
# Document deadlines: a start-up summary appears when any of these has records.
URGENT_GROUPS = frozenset({"requests_overdue", "reviews_overdue", "requests_soon", "reviews_soon",
                           "agreements_expiring"})


@dataclass(frozen=True)
class AttentionItem:
    record_id: str
    text: str                   # «№ 12-к — О предоставлении сведений…»
    when: str                   # the deadline: «03.12.2026 — через 3 дня»
    due_on: date
    days_left: int              # negative when past
    target: Target


@dataclass(frozen=True)
class AttentionGroup:
    key: str
    title: str                  # «Запросы: срок ответа истёк»
    count: int
    tone: str                   # alarm | warning | info
    target: Target
    items: tuple[AttentionItem, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.key in URGENT_GROUPS and self.count > 0

    @property
    def more(self) -> int:
        """Records counted but not named in ``items``."""
        return self.count - len(self.items)


def urgent_count(groups: list[AttentionGroup]) -> int:
    """Records whose deadline is near or past: the number the sidebar shows beside «На контроле»."""
    return sum(g.count for g in groups if g.urgent)


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        tail = f"просрочено на {deadlines.days_text(days)}"
    elif days == 0:
        tail = "сегодня"
    else:
        tail = f"через {deadlines.days_text(days)}"
    return f"{format_date(due)} — {tail}"


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUBJECT_CHARS else text[:SUBJECT_CHARS - 1].rstrip() + "…"


def _group(db: Database, key: str, title: str, tone: str, target: Target, stmt, where, due_col, describe,
           today: date, origin_col=None, origin: str | None = None) -> AttentionGroup:
    """Counts ``where`` and names the first ITEMS_PER_GROUP records by due date (``describe(row)`` → text, due).

    ``origin`` (the region) keeps one municipality's records, and the list the group opens shows the same."""
    if origin:
        where = and_(where, origin_col == origin)
        target = _of_municipality(target, origin)
    with db.read() as s:
        count = int(s.scalar(select(func.count()).select_from(stmt.where(where).order_by(None).subquery())))
        rows = s.execute(stmt.where(where).order_by(due_col, stmt.selected_columns[0]).limit(ITEMS_PER_GROUP)).all()
    items = []
    for row in rows:
        text, due = describe(row)
        items.append(AttentionItem(row[0], text, _when(due, today), due, (due - today).days,
                                   Target(target.entity, target.filters, row[0])))
    return AttentionGroup(key, title, count, tone, target, tuple(items))


def _of_municipality(target: Target, origin: str | None) -> Target:
    if not origin or not target.entity:
        return target
    return Target(target.entity, tuple(sorted({**target.filter_dict(), "origin": origin}.items())), target.record_id)


def _requests(db: Database, today: date, w: deadlines.Windows, origin: str | None) -> list[AttentionGroup]:
    m = InfoRequest
    stmt = select(m.id, m.number, m.subject, m.due_on).where(m.deleted_at.is_(None), m.answered_on.is_(None))

    def describe(r):
        return f"№ {r.number} — {_short(r.subject)}", r.due_on

    soon_to = today + timedelta(days=w.request_days)
    return [
        _group(db, "requests_overdue", "Запросы: срок ответа истёк", "alarm",
               Target.records("requests", deadline="overdue"), stmt, m.due_on < today, m.due_on, describe, today,
               m.origin, origin),
        _group(db, "requests_soon", f"Запросы: ответить в ближайшие {deadlines.days_text(w.request_days)}",
               "warning", Target.records("requests", deadline="soon"), stmt, m.due_on.between(today, soon_to),
               m.due_on, describe, today, m.origin, origin),
    ]


def _reviews(db: Database, today: date, w: deadlines.Windows, origin: str | None) -> list[AttentionGroup]:
    r = Review
    stmt = (select(r.id, Material.title, Teacher.last_name, Teacher.first_name, Teacher.middle_name, r.due_on)
            .join(Material, r.material_id == Material.id).outerjoin(Teacher, r.expert_id == Teacher.id)
            .where(r.deleted_at.is_(None),
                   or_(r.decision.is_(None), r.decision == E.ReviewDecision.PENDING.value)))

    def describe(row):
        expert = initials(row.last_name, row.first_name, row.middle_name) if row.last_name else ""
        text = _short(row.title) + (f" — эксперт {expert}" if expert else "")
        return text, row.due_on

    soon_to = today + timedelta(days=w.review_days)
    return [
        _group(db, "reviews_overdue", "Экспертиза: срок истёк, заключения нет", "alarm",
               Target.records("reviews", deadline="overdue"), stmt, r.due_on < today, r.due_on, describe, today,
               r.origin, origin),
        _group(db, "reviews_soon",
               f"Экспертиза: срок в ближайшие {deadlines.days_text(w.review_days)}", "warning",
               Target.records("reviews", deadline="soon"), stmt, r.due_on.between(today, soon_to), r.due_on,
               describe, today, r.origin, origin),
    ]


def _agreements(db: Database, today: date, w: deadlines.Windows, origin: str | None) -> AttentionGroup:
    a = Agreement
    stmt = select(a.id, a.number, a.subject, a.valid_to).where(
        a.deleted_at.is_(None), a.status == E.AgreementStatus.ACTIVE.value)

    def describe(row):
        return f"№ {row.number} — {_short(row.subject)}", row.valid_to

    window = w.agreement_days
    return _group(db, "agreements_expiring",
                  f"Договоры: срок действия истекает в ближайшие {deadlines.days_text(window)}",
                  "warning", Target.records("agreements", status=E.AgreementStatus.ACTIVE.value, term="expiring"),
                  stmt, a.valid_to.between(today, today + timedelta(days=window)), a.valid_to, describe, today,
                  a.origin, origin)


def pd_due_soon_count(db: Database, today: date, origin: str | None = None,
                      windows: deadlines.Windows | None = None) -> int:
    overdue_by, soon_by = deadlines.pd_limits(today, (windows or deadline_windows(db)).pd_warn_months)
    base = func.coalesce(Teacher.last_pd_on, Teacher.career_start, Teacher.hired_on)
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Teacher).where(
            Teacher.deleted_at.is_(None), *([Teacher.origin == origin] if origin else []),
            and_(base > overdue_by, base <= soon_by))))


def young_without_mentor_count(db: Database, today: date, origin: str | None = None) -> int:
    """len(development_pd.young_without_mentor(...)) without building its rows: the same slightly wider SQL
    window, then the rule itself on two dates per teacher (29 February and all)."""
    age_cut = rules.add_years(today, -rules.YOUNG_AGE_LIMIT) - 2 * timedelta(days=1)
    work_cut = rules.add_years(today, -rules.YOUNG_EXPERIENCE_YEARS) - 2 * timedelta(days=1)
    M = Mentorship
    stmt = select(Teacher.birth_date, Teacher.career_start).where(
        Teacher.deleted_at.is_(None), *([Teacher.origin == origin] if origin else []),
        or_(and_(Teacher.birth_date.is_not(None), Teacher.birth_date > age_cut),
            and_(Teacher.career_start.is_not(None), Teacher.career_start > work_cut)),
        ~exists().where(M.mentee_id == Teacher.id, M.deleted_at.is_(None), M.starts_on <= today,
                        or_(M.ends_on.is_(None), M.ends_on >= today)))
    with db.read() as s:
        return sum(1 for birth, start in s.execute(stmt) if rules.is_young_teacher(birth, start, today))


def attention_groups(db: Database, today: date | None = None, *, pd_due_soon: int | None = None,
                     young_without_mentor: int | None = None, origin: str | None = None) -> list[AttentionGroup]:
    """The non-empty groups, most pressing first. Counts the caller has already made may be passed in.

    ``origin`` (the region's database) limits every group to one municipality's records."""
    today = today or date.today()
    w = deadline_windows(db)
    if pd_due_soon is None:
        pd_due_soon = pd_due_soon_count(db, today, origin, w)
    if young_without_mentor is None:
        young_without_mentor = young_without_mentor_count(db, today, origin)
    months = deadlines.months_text(w.pd_warn_months)
    groups = [*_requests(db, today, w, origin), *_reviews(db, today, w, origin), _agreements(db, today, w, origin),
              AttentionGroup("pd_due_soon", f"Повышение квалификации: срок наступает в ближайшие {months}",
                             pd_due_soon, "info",
                             _of_municipality(Target.records("teachers", pd_status="due_soon"), origin)),
              AttentionGroup("young_without_mentor", "Молодые педагоги без наставника", young_without_mentor,
                             "info", Target.report_tab("young_without_mentor"))]
    order = {"alarm": 0, "warning": 1, "info": 2}
    return sorted((g for g in groups if g.count), key=lambda g: order[g.tone])
