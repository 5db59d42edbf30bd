"""Keeps ``network_course.pupils_total`` equal to the sum of its enrolments.

The ≥ 10 pupils rule (seed 002 §8.1) is a filter and a highlight in the list
of courses; a stored total makes it a plain comparison instead of an
aggregate per row. Every write to a course or an enrolment refreshes it here
(RecordService calls ``after_write`` through pd_status.after_write).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.storage.models import CourseEnrolment, NetworkCourse


def courses_of(s: Session, entity: str, ids: list[str]) -> list[str]:
    if entity in ("courses", "network_courses"):
        return list(ids)
    if entity in ("enrolments", "course_enrolments"):
        return list(s.scalars(select(CourseEnrolment.course_id).where(CourseEnrolment.id.in_(ids))))
    return []


def refresh_totals(s: Session, course_ids: list[str]) -> None:
    ids = list(set(course_ids))
    if not ids:
        return
    totals = dict(s.execute(
        select(CourseEnrolment.course_id, func.coalesce(func.sum(CourseEnrolment.pupils), 0))
        .where(CourseEnrolment.course_id.in_(ids), CourseEnrolment.deleted_at.is_(None))
        .group_by(CourseEnrolment.course_id)).all())
    for course_id in ids:
        course = s.get(NetworkCourse, course_id)
        total = int(totals.get(course_id, 0))
        if course is not None and course.pupils_total != total:
            course.pupils_total = total
    s.flush()


def after_write(s: Session, entity: str, ids: list[str]) -> None:
    courses = courses_of(s, entity, ids)
    if courses:
        refresh_totals(s, courses)
