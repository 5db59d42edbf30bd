"""Keeps ``teacher.last_pd_on`` equal to what the routes and the documents say.

The three-year rule counts from the end of the last completed formal
programme (курсы повышения квалификации). A date typed in the teacher's form
or imported from a spreadsheet (courses taken before routes were kept here) is
kept as ``pd_reported_on``; ``last_pd_on`` is the later of it and the last
completed formal programme in the teacher's routes. It is stored on the
teacher so that «who is due» over 100,000 teachers is one indexed query, and
every write to a teacher, a route or an item refreshes it here.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.storage.models import Teacher, Trajectory, TrajectoryItem


def last_completed_course(s: Session, teacher_ids: Iterable[str]) -> dict[str, object]:
    ids = list(set(teacher_ids))
    stmt = (
        select(Trajectory.teacher_id, func.max(func.coalesce(TrajectoryItem.actual_end, TrajectoryItem.document_date)))
        .join(TrajectoryItem, TrajectoryItem.trajectory_id == Trajectory.id)
        .where(Trajectory.teacher_id.in_(ids), Trajectory.deleted_at.is_(None), TrajectoryItem.deleted_at.is_(None),
               TrajectoryItem.status == "completed", TrajectoryItem.kind == "programme",
               TrajectoryItem.formality == "formal")
        .group_by(Trajectory.teacher_id)
    )
    found = dict(s.execute(stmt).all())
    return {t: found.get(t) for t in ids}


def with_reported_date(entity: str, clean: dict) -> dict:
    """A date written to a teacher's «last PD» is what the documents say: kept apart from the routes'."""
    if entity == "teachers" and "last_pd_on" in clean:
        return {**clean, "pd_reported_on": clean["last_pd_on"]}
    return clean


def refresh_last_pd(s: Session, teacher_ids: Iterable[str]) -> None:
    for teacher_id, from_routes in last_completed_course(s, teacher_ids).items():
        # Re-read: a sync import may have updated the row with Core statements in this transaction, and the
        # UPDATE below must name the version now stored (version_id_col).
        teacher = s.get(Teacher, teacher_id, populate_existing=True)
        if teacher is None:
            continue
        dates = [d for d in (from_routes, teacher.pd_reported_on) if d is not None]
        last = max(dates) if dates else None
        if teacher.last_pd_on != last:
            teacher.last_pd_on = last
    s.flush()


def teachers_of(s: Session, entity: str, ids: list[str]) -> list[str]:
    if entity == "teachers":
        return list(ids)
    if entity == "trajectories":
        return list(s.scalars(select(Trajectory.teacher_id).where(Trajectory.id.in_(ids))))
    if entity == "trajectory_items":
        return list(s.scalars(select(Trajectory.teacher_id).join(
            TrajectoryItem, TrajectoryItem.trajectory_id == Trajectory.id).where(TrajectoryItem.id.in_(ids))))
    return []


def after_write(s: Session, entity: str, ids: list[str]) -> None:
    teachers = teachers_of(s, entity, ids)
    if teachers:
        refresh_last_pd(s, teachers)
    # The same hook keeps the stored enrolment totals of network courses.
    from app.services.registry import course_totals

    course_totals.after_write(s, entity, ids)
