"""Педагоги, у которых срок повышения квалификации прошёл или подходит, по организациям."""
from __future__ import annotations

from app.domain import rules
from app.domain.names import search_key
from app.services.development.common import NO_ORGANIZATION, pd_settings
from app.services.development.pd_terms import pd_due_list
from app.services.reports.base import DATE, INT, Column, Report, ReportParams, organization_scope


class PkDue(Report):
    name = "pk-due"
    title = "Педагоги, у которых подходит или прошёл срок повышения квалификации"
    sheet = "Сроки ПК"
    description = ("Педагоги по организациям: срок повышения квалификации (не реже раза в три года) уже прошёл "
                   "или наступит в ближайшие месяцы.")
    register = True
    columns = (
        Column("Организация", width=34),
        Column("ФИО", width=32),
        Column("СНИЛС", width=16, personal="snils"),
        Column("Должность", width=22),
        Column("Последнее ПК", DATE, 13),
        Column("Отсчёт от", width=24),
        Column("Срок ПК", DATE, 12),
        Column("Дней до срока", INT, 10),
        Column("Состояние", width=15),
        Column("Последний курс", width=40),
    )

    def __init__(self) -> None:
        self.overdue = 0

    def note_for(self, db, p):
        return (f"Срок в ближайшие {pd_settings(db).warn_months} мес. после даты отчёта или уже прошёл; "
                "отрицательное число дней — просрочка.")

    def rows(self, db, p: ReportParams):
        with db.read() as s:
            scope = organization_scope(s, p)
        found = pd_due_list(db, within_months=pd_settings(db).warn_months, today=p.day)
        if scope is not None:
            found = [r for r in found if r.organization_id in scope]
        # Grouped by organisation for the printed sheet; the most urgent first within each.
        found.sort(key=lambda r: (r.organization_id is None, search_key(r.organization), r.organization_id or "",
                                  r.due_on, search_key(r.full_name), r.teacher_id))
        self.overdue = 0
        for r in found:
            self.overdue += r.status == rules.PdStatus.OVERDUE.value
            yield (r.organization or NO_ORGANIZATION, r.full_name, r.snils, r.position, r.last_pd_on,
                   r.basis_label, r.due_on, r.days_left, r.status_label, r.last_course)

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[0] = f"Итого педагогов: {count}"
        row[1] = f"из них срок прошёл: {self.overdue}"
        return row
