"""Методические материалы и результаты экспертизы."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.domain import enums as E
from app.domain.names import initials, search_key
from app.services.development.common import organization_label
from app.services.reports.base import (
    DATE, INT, NUMBER, Column, Report, ReportParams, in_scope, organization_scope, within,
)
from app.storage.models import Material, MaterialAuthor, Organization, Review, Teacher

DECISIONS = (E.ReviewDecision.APPROVED.value, E.ReviewDecision.REVISION.value, E.ReviewDecision.REJECTED.value,
             E.ReviewDecision.PENDING.value)


class MaterialsReport(Report):
    name = "materials"
    title = "Методические материалы и результаты экспертизы"
    sheet = "Материалы и экспертиза"
    description = ("Материалы, поданные за период: авторы, организация, состояние, число экспертных заключений "
                   "по решениям и средний балл.")
    columns = (
        Column("Материал", width=44),
        Column("Вид", width=22),
        Column("Организация", width=28),
        Column("Авторы", width=30),
        Column("Подан", DATE, 11),
        Column("Состояние", width=16),
        Column("Заключений", INT, 11, total=True),
        Column("Одобрено", INT, 10, total=True),
        Column("На доработку", INT, 11, total=True),
        Column("Отклонено", INT, 10, total=True),
        Column("Ожидают", INT, 10, total=True),
        Column("Средний балл", NUMBER, 10),
    )
    note = "Период — по дате подачи материала; средний балл — по заключениям с выставленным баллом."

    def rows(self, db, p: ReportParams):
        with db.read() as s:
            scope = organization_scope(s, p)
            found = list(s.execute(
                select(Material.id, Material.title, Material.kind, organization_label(Organization),
                       Material.submitted_on, Material.status)
                .outerjoin(Organization, Organization.id == Material.organization_id)
                .where(Material.deleted_at.is_(None), in_scope(Material.organization_id, scope),
                       within(Material.submitted_on, p))))
            ids = [r[0] for r in found]
            authors: dict[str, list[str]] = defaultdict(list)
            reviews: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                for mid, last, first, middle in s.execute(
                        select(MaterialAuthor.material_id, Teacher.last_name, Teacher.first_name, Teacher.middle_name)
                        .join(Teacher, Teacher.id == MaterialAuthor.teacher_id)
                        .where(MaterialAuthor.material_id.in_(chunk), MaterialAuthor.deleted_at.is_(None))):
                    authors[mid].append(initials(last, first, middle))
                for mid, decision, score in s.execute(
                        select(Review.material_id, Review.decision, Review.total_score)
                        .where(Review.material_id.in_(chunk), Review.deleted_at.is_(None))):
                    reviews[mid].append((decision, score))
        found.sort(key=lambda r: (r[4] is None, r[4], search_key(r[1]), r[0]))
        for mid, title, kind, org, submitted, status in found:
            rs = reviews[mid]
            scores = [score for _, score in rs if score is not None]
            yield (title, E.MaterialKind.label_of(kind), org or "", ", ".join(sorted(authors[mid])), submitted,
                   E.MaterialStatus.label_of(status), len(rs), *(sum(1 for d, _ in rs if d == code)
                                                              for code in DECISIONS),
                   round(sum(scores) / len(scores), 2) if scores else None)

    def totals(self, sums, count, p):
        row = super().totals(sums, count, p)
        row[0] = f"Итого материалов: {count}"
        return row
