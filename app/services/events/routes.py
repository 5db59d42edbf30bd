"""An attended event in the teacher's route (ИОМ): a completed non-formal item.

When a teacher's attendance is marked «присутствовал» with hours, the route
that covers the event's date gets (or updates) an item of kind «Мероприятие»,
form «Неформальное», status «Выполнено», with the hours and the credits they
make; a route for the calendar year is created when the teacher has none
covering that date. When the attendance is unmarked (or the participation
removed) the item goes to the recycle bin. Non-formal items never move
``last_pd_on``: only completed formal programmes count for the three-year
rule (pd_status.last_completed_course).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain import enums as E
from app.domain import rules
from app.services.registry.service import Batch
from app.storage.models import Event, Participation, Teacher, Trajectory, TrajectoryItem


def is_credited(p: Participation, event: Event | None) -> bool:
    return (p.deleted_at is None and p.teacher_id is not None and event is not None and event.deleted_at is None
            and p.attendance == E.Attendance.PRESENT.value and (p.hours or 0) > 0)


def item_title(event: Event) -> str:
    return f"{E.EventKind.label_of(event.kind)}: {event.title}"[:500]


def _items(b: Batch, teacher_id: str, event_id: str) -> list[TrajectoryItem]:
    return list(b.session.scalars(
        select(TrajectoryItem).join(Trajectory, Trajectory.id == TrajectoryItem.trajectory_id)
        .where(Trajectory.teacher_id == teacher_id, Trajectory.deleted_at.is_(None),
               TrajectoryItem.event_id == event_id, TrajectoryItem.deleted_at.is_(None))
        .order_by(TrajectoryItem.created_at, TrajectoryItem.id)))


def _route_for(b: Batch, teacher_id: str, day: date) -> str:
    """The teacher's route whose period covers the day, else a new draft route for that calendar year."""
    routes = list(b.session.scalars(select(Trajectory).where(
        Trajectory.teacher_id == teacher_id, Trajectory.deleted_at.is_(None),
        Trajectory.period_start <= day, Trajectory.period_end >= day)))
    if routes:
        return max(routes, key=lambda r: (r.period_start, r.created_at, r.id)).id
    created = b.create("trajectories", {
        "teacher_id": teacher_id, "period_start": date(day.year, 1, 1), "period_end": date(day.year, 12, 31),
        "status": E.TrajectoryStatus.DRAFT.value,
        "goals": "Маршрут создан автоматически при отметке участия в мероприятии."})
    return created["id"]


def sync_item(b: Batch, p: Participation, hours_per_credit: int) -> str | None:
    """Brings the route item of one participation in line with its attendance; the item id or None."""
    if p.teacher_id is None:
        return None
    return _sync(b, p, hours_per_credit)


def _sync(b: Batch, p: Participation, hours_per_credit: int) -> str | None:
    from app.services.events.events import organizers_in, soft_delete

    event = b.session.get(Event, p.event_id)
    items = _items(b, p.teacher_id, p.event_id)
    if not is_credited(p, event):
        for item in items:
            soft_delete(b, "trajectory_items", item.id, item.title)
        return None
    hours = float(p.hours)
    end = event.ends_on or event.starts_on
    organizer = next((i for i, _name in organizers_in(b.session, event.id)), None)
    values = {
        "kind": E.ItemKind.EVENT.value, "formality": E.Formality.NON_FORMAL.value, "title": item_title(event),
        "event_id": event.id, "organization_id": organizer, "status": E.ItemStatus.COMPLETED.value,
        "actual_start": event.starts_on, "actual_end": end, "hours": hours,
        "credits": rules.credits_from_hours(hours, hours_per_credit),
    }
    if items:
        keep, extra = items[0], items[1:]
        for item in extra:
            soft_delete(b, "trajectory_items", item.id, item.title)
        b.update("trajectory_items", keep.id, values)
        return keep.id
    values["trajectory_id"] = _route_for(b, p.teacher_id, event.starts_on)
    values["planned_start"], values["planned_end"] = event.starts_on, end
    return b.create("trajectory_items", values)["id"]
