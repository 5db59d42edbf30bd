"""Журнал запросов в рамках сетевого взаимодействия с контролем сроков (seed 003 §18)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.domain import enums as E
from app.services.development.common import organization_label
from app.services.reports.base import (
    DATE, INT, Column, Report, ReportParams, organization_scope, within,
)
from app.storage.models import InfoRequest, Organization


def days_late(r, day) -> int | None:
    """Days past the deadline: of the answer, or (not answered yet) of the report day."""
    if r.due_on is None:
        return None
    end = r.answered_on or day
    late = (end - r.due_on).days
    return late if late > 0 else None


class RequestsReport(Report):
    name = "requests"
    title = "Журнал запросов в рамках сетевого взаимодействия"
    sheet = "Запросы"
    description = "Входящие и исходящие запросы периода: кто, кому, о чём, срок ответа, дата ответа, просрочка."
    columns = (
        Column("Номер", width=11),
        Column("Направление", width=12),
        Column("Дата", DATE, 11),
        Column("Отправитель", width=28),
        Column("Адресат", width=28),
        Column("Тема", width=36),
        Column("Подготовил", width=26),
        Column("Телефон", width=18, personal="phone"),
        Column("E-mail", width=24, personal="email"),
        Column("Срок ответа", DATE, 12),
        Column("Дата ответа", DATE, 12),
        Column("Статус", width=12),
        Column("Просрочка, дней", INT, 11),
    )
    note = "Период — по дате запроса; просрочка — ответ позже срока или ответа нет, а срок прошёл."

    def __init__(self) -> None:
        self.late = 0

    def rows(self, db, p: ReportParams):
        day = p.day
        sender, addressee = aliased(Organization), aliased(Organization)
        with db.read() as s:
            scope = organization_scope(s, p)
            found = list(s.execute(
                select(InfoRequest, organization_label(sender), organization_label(addressee))
                .join(sender, sender.id == InfoRequest.sender_id)
                .join(addressee, addressee.id == InfoRequest.addressee_id)
                .where(InfoRequest.deleted_at.is_(None), within(InfoRequest.sent_on, p))
                .order_by(InfoRequest.sent_on, InfoRequest.number, InfoRequest.id)))
            s.expunge_all()  # the rows outlive the read session (its rollback would expire them)
        self.late = 0
        for r, from_name, to_name in found:
            if scope is not None and r.sender_id not in scope and r.addressee_id not in scope:
                continue
            late = days_late(r, day)
            self.late += late is not None
            yield (r.number, E.RequestDirection.label_of(r.direction), r.sent_on, from_name, to_name, r.subject,
                   r.prepared_by_name, r.prepared_by_phone, r.prepared_by_email, r.due_on, r.answered_on,
                   E.RequestStatus.label_of(r.status), late)

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[0] = f"Итого: {count}"
        row[5] = f"с нарушением срока: {self.late}"
        return row
