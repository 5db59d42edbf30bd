"""Молодые педагоги и наставничество (seed 003: сопровождение молодых педагогов)."""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from app.domain import enums as E
from app.domain import rules
from app.domain.names import format_fio, search_key
from app.services.development.common import NO_ORGANIZATION, organization_label
from app.services.reports.base import DATE, INT, Column, Report, ReportParams, in_scope, organization_scope
from app.storage.models import Mentorship, Organization, Teacher


class YoungReport(Report):
    name = "young"
    title = "Молодые педагоги и наставничество"
    sheet = "Молодые педагоги"
    description = (f"Педагоги моложе {rules.YOUNG_AGE_LIMIT} лет или со стажем менее "
                   f"{rules.YOUNG_EXPERIENCE_YEARS} лет и их наставники на дату отчёта.")
    register = True
    columns = (
        Column("Организация", width=32),
        Column("ФИО", width=32),
        Column("Должность", width=22),
        Column("Возраст", INT, 9),
        Column("Стаж, лет", INT, 9),
        Column("Основание", width=26),
        Column("Наставник", width=32),
        Column("Форма наставничества", width=22),
        Column("Наставничество с", DATE, 13),
        Column("по", DATE, 11),
    )

    def __init__(self) -> None:
        self.with_mentor = 0

    def rows(self, db, p: ReportParams):
        day = p.day
        M, mentor = Mentorship, aliased(Teacher)
        with db.read() as s:
            scope = organization_scope(s, p)
            teachers = list(s.execute(
                select(Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name, Teacher.position,
                       organization_label(Organization), Teacher.birth_date, Teacher.career_start)
                .outerjoin(Organization, Organization.id == Teacher.organization_id)
                .where(Teacher.deleted_at.is_(None), in_scope(Teacher.organization_id, scope),
                       or_(Teacher.birth_date.is_not(None), Teacher.career_start.is_not(None)))))
            young = [t for t in teachers if rules.is_young_teacher(t.birth_date, t.career_start, day)]
            mentors = {}
            for mentee_id, ml, mf, mm, form, starts, ends in s.execute(
                    select(M.mentee_id, mentor.last_name, mentor.first_name, mentor.middle_name, M.form,
                           M.starts_on, M.ends_on)
                    .join(mentor, mentor.id == M.mentor_id)
                    .where(M.deleted_at.is_(None), M.starts_on <= day, or_(M.ends_on.is_(None), M.ends_on >= day),
                           and_(mentor.deleted_at.is_(None)))
                    .order_by(M.starts_on)):
                mentors[mentee_id] = (format_fio(ml, mf, mm), E.MentorshipForm.label_of(form), starts, ends)
        young.sort(key=lambda t: (t[5] is None, search_key(t[5] or ""), search_key(t.last_name, t.first_name,
                                                                                  t.middle_name), t.id))
        self.with_mentor = 0
        for t in young:
            age = rules.age_on(t.birth_date, day) if t.birth_date and t.birth_date <= day else None
            exp = rules.experience_years(t.career_start, day) if t.career_start else None
            reasons = []
            if age is not None and age < rules.YOUNG_AGE_LIMIT:
                reasons.append(f"моложе {rules.YOUNG_AGE_LIMIT} лет")
            if exp is not None and exp < rules.YOUNG_EXPERIENCE_YEARS:
                reasons.append(f"стаж менее {rules.YOUNG_EXPERIENCE_YEARS} лет")
            m = mentors.get(t.id)
            self.with_mentor += m is not None
            yield (t[5] or NO_ORGANIZATION, format_fio(t.last_name, t.first_name, t.middle_name), t.position or "",
                   age, exp, ", ".join(reasons), *(m or ("нет", "", None, None)))

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[0] = f"Итого молодых педагогов: {count}"
        row[6] = f"с наставником: {self.with_mentor}, без наставника: {count - self.with_mentor}"
        return row
