"""Keeps ``teacher.last_pd_on`` equal to what the routes say.

The three-year rule counts from the end of the last completed formal
programme (курсы повышения квалификации) in the teacher's routes; the date is
stored on the teacher so that «who is due» over 100,000 teachers is one
indexed query. Every write to a route or an item refreshes it here.
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


def refresh_last_pd(s: Session, teacher_ids: Iterable[str]) -> None:
    for teacher_id, last in last_completed_course(s, teacher_ids).items():
        teacher = s.get(Teacher, teacher_id)
        if teacher is not None and teacher.last_pd_on != last:
            teacher.last_pd_on = last
    s.flush()


def teachers_of(s: Session, entity: str, ids: list[str]) -> list[str]:
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
    from app.services import course_totals

    course_totals.after_write(s, entity, ids)
