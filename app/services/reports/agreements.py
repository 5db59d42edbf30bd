"""Реестр договоров (соглашений) о сетевом взаимодействии со сроками действия."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from app.domain import enums as E
from app.domain.names import search_key
from app.services.development.common import organization_label
from app.services.reports.base import DATE, INT, Column, Report, ReportParams, organization_scope
from app.storage.models import Agreement, AgreementParty, Organization

IN_FORCE = "действует"


def state_on(a, day) -> str:
    """Whether the agreement is in force on ``day`` by its status and its term."""
    if a.status in (E.AgreementStatus.TERMINATED.value, E.AgreementStatus.DRAFT.value):
        return E.AgreementStatus.label_of(a.status).lower()
    if a.valid_from and a.valid_from > day:
        return "не вступил в силу"
    if a.valid_to and a.valid_to < day:
        return "срок истёк"
    return IN_FORCE


class AgreementsReport(Report):
    name = "agreements"
    title = "Реестр договоров (соглашений) о сетевом взаимодействии"
    sheet = "Договоры"
    description = "Договоры и соглашения со сторонами, предметом и сроками; что действует на дату отчёта."
    register = True
    columns = (
        Column("Номер", width=12),
        Column("Дата", DATE, 11),
        Column("Вид", width=30),
        Column("Стороны", width=40),
        Column("Предмет", width=44),
        Column("Действует с", DATE, 12),
        Column("Действует по", DATE, 12),
        Column("Дней до окончания", INT, 11),
        Column("Статус", width=12),
        Column("На дату отчёта", width=18),
    )
    note = ("В реестре — договоры, заключённые не позднее даты отчёта (и, если задано начало периода, "
            "действовавшие после него).")

    def __init__(self) -> None:
        self.in_force = 0

    def rows(self, db, p: ReportParams):
        day = p.day
        with db.read() as s:
            scope = organization_scope(s, p)
            stmt = select(Agreement).where(Agreement.deleted_at.is_(None),
                                           or_(Agreement.signed_on.is_(None), Agreement.signed_on <= day))
            if p.date_from:
                stmt = stmt.where(or_(Agreement.valid_to.is_(None), Agreement.valid_to >= p.date_from))
            agreements = list(s.execute(stmt).scalars())
            parties: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for aid, oid, label in s.execute(
                    select(AgreementParty.agreement_id, AgreementParty.organization_id, organization_label(Organization))
                    .join(Organization, Organization.id == AgreementParty.organization_id)
                    .where(AgreementParty.deleted_at.is_(None))):
                parties[aid].append((oid, label))
            s.expunge_all()  # the rows outlive the read session (its rollback would expire them)
        agreements.sort(key=lambda a: (a.signed_on is None, a.signed_on, search_key(a.number), a.id))
        self.in_force = 0
        for a in agreements:
            if scope is not None and not scope & {o for o, _ in parties[a.id]}:
                continue
            state = state_on(a, day)
            self.in_force += state == IN_FORCE
            yield (a.number, a.signed_on, E.AgreementKind.label_of(a.kind),
                   "; ".join(sorted(label for _, label in parties[a.id])), a.subject, a.valid_from, a.valid_to,
                   (a.valid_to - day).days if a.valid_to else None, E.AgreementStatus.label_of(a.status), state)

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[0] = f"Итого: {count}"
        row[3] = f"действуют на {p.day.strftime('%d.%m.%Y')}: {self.in_force}"
        return row
