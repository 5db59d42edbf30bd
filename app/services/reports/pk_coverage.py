"""Охват повышением квалификации по организациям (the three-year rule, 273-ФЗ ст. 47)."""
from __future__ import annotations

from app.services.development.common import pd_settings
from app.services.development.pd_terms import coverage_by_organization
from app.services.reports.base import INT, PERCENT, Column, Report, ReportParams, percent


class PkCoverage(Report):
    name = "pk-coverage"
    title = "Охват педагогов повышением квалификации по организациям"
    sheet = "Охват ПК"
    description = ("Сколько педагогов каждой организации прошли повышение квалификации за последние три года, "
                   "у скольких срок наступает в ближайшие месяцы или уже прошёл.")
    pdf = True
    register = True
    columns = (
        Column("Организация", width=48),
        Column("Педагогов", INT, 11, total=True),
        Column("Прошли ПК за 3 года", INT, 13, total=True),
        Column("Срок в ближайшие месяцы", INT, 13, total=True),
        Column("Срок прошёл", INT, 11, total=True),
        Column("Нет данных", INT, 11, total=True),
        Column("Охват, %", PERCENT, 10),
    )

    def note_for(self, db, p):
        return (f"«Срок в ближайшие месяцы» — в ближайшие {pd_settings(db).warn_months} мес. после даты отчёта; "
                "охват — доля педагогов, прошедших ПК за последние три года.")

    def rows(self, db, p: ReportParams):
        for r in coverage_by_organization(db, today=p.day, municipality=p.municipality,
                                          organization_id=p.organization_id):
            yield (r.organization, r.teachers, r.covered, r.due_soon, r.overdue, r.unknown,
                   percent(r.covered, r.teachers))

    def totals(self, sums, count, p):
        row = super().totals(sums, count, p)
        row[0] = "Итого"
        row[6] = percent(sums[2], sums[1])
        return row
