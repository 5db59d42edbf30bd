"""Реестр участников сетевого взаимодействия (по образцу приложений к положению, seed 000)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from app.domain import enums as E
from app.domain.names import search_key
from app.services.reports.base import DATE, INT, Column, Report, ReportParams, in_scope, organization_scope
from app.storage.models import Organization, OrganizationRole


class ParticipantsRegister(Report):
    name = "participants"
    title = "Реестр участников сетевого взаимодействия"
    sheet = "Реестр участников"
    description = ("Организации — участники сети на дату: вид, полное и сокращённое наименование, ИНН, адрес, "
                   "роли в сети, дата вступления; нумерация по видам, как в приложениях к положению.")
    register = True
    columns = (
        Column("№ п/п", INT, 7),
        Column("Вид организации", width=30),
        Column("Полное наименование", width=56),
        Column("Сокращённое наименование", width=28),
        Column("ИНН", width=13),
        Column("Адрес", width=36),
        Column("Роль в сети", width=28),
        Column("В сети с", DATE, 11),
    )
    note = "Участники — организации, вступившие в сеть не позднее даты отчёта и не вышедшие из неё."

    def rows(self, db, p: ReportParams):
        day = p.day
        with db.read() as s:
            scope = organization_scope(s, p)
            orgs = list(s.execute(select(Organization).where(
                Organization.deleted_at.is_(None), in_scope(Organization.id, scope),
                or_(Organization.joined_on.is_(None), Organization.joined_on <= day),
                or_(Organization.left_on.is_(None), Organization.left_on > day))).scalars())
            roles: dict[str, list[str]] = defaultdict(list)
            for oid, role in s.execute(select(OrganizationRole.organization_id, OrganizationRole.role).where(
                    OrganizationRole.deleted_at.is_(None),
                    or_(OrganizationRole.since.is_(None), OrganizationRole.since <= day),
                    or_(OrganizationRole.until.is_(None), OrganizationRole.until >= day))):
                roles[oid].append(E.NetworkRole.label_of(role))
            s.expunge_all()  # the rows outlive the read session (its rollback would expire them)
        kind_order = {m.value: i for i, m in enumerate(E.OrganizationKind)}
        orgs.sort(key=lambda o: (kind_order.get(o.kind, len(kind_order)), search_key(o.full_name), o.id))
        for number, o in enumerate(orgs, 1):
            yield (number, E.OrganizationKind.label_of(o.kind), o.full_name, o.short_name or "", o.inn or "",
                   o.address or "", ", ".join(sorted(set(roles[o.id]))), o.joined_on)

    def totals(self, sums, count, p):
        row = [None] * len(self.columns)
        row[1] = f"Итого участников: {count}"
        return row
