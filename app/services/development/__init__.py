"""Professional development: the credits ledger, the three-year rule, young teachers, group routes.

The public API of the development services; the work is split by topic:

* development_ledger — ``credits_ledger``, ``ledger_rows`` (накопительный учёт з.е., seed 000);
* development_pd — ``pd_due_list``, ``coverage_by_organization``, ``young_without_mentor``,
  ``mentorship_pairs`` (273-ФЗ ст. 47; seed 003 on young teachers and mentoring);
* development_routes — ``create_group_routes`` from a ``RouteTemplate``, and the data of
  the route documents (``iom_document``, ``group_plan``);
* development_common — settings, ``teacher_info``, ``find_teacher`` (by id or СНИЛС),
  ``find_organization`` (by id, ИНН or name).

All results are frozen dataclasses with stored codes and their Russian labels.
"""
from __future__ import annotations

from app.services.development.common import (
    PdSettings, TeacherInfo, find_organization, find_teacher, pd_settings, teacher_info,
)
from app.services.development.ledger import GroupTotal, Ledger, LedgerRow, YearTotal, credits_ledger, ledger_rows
from app.services.development.pd_terms import (
    CoverageRow, DueRow, MentorshipPair, YoungRow, coverage_by_organization, coverage_total, last_base_due_by,
    mentorship_pairs, pd_due_list, young_without_mentor,
)
from app.services.development.routes import (
    Deficit, GroupMember, GroupPlan, IomDocument, ItemTemplate, RouteData, RouteItem, RouteTemplate, RouteTotals,
    create_group_routes, group_plan, iom_document,
)

__all__ = [
    "CoverageRow", "Deficit", "DueRow", "GroupMember", "GroupPlan", "GroupTotal", "IomDocument", "ItemTemplate",
    "Ledger", "LedgerRow", "MentorshipPair", "PdSettings", "RouteData", "RouteItem", "RouteTemplate", "RouteTotals",
    "TeacherInfo", "YearTotal", "YoungRow", "coverage_by_organization", "coverage_total", "create_group_routes",
    "credits_ledger", "find_organization", "find_teacher", "group_plan", "iom_document", "last_base_due_by",
    "ledger_rows", "mentorship_pairs", "pd_due_list", "pd_settings", "teacher_info", "young_without_mentor",
]
