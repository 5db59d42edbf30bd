"""Reports for the head of the centre and for the region (issue 6): the catalogue.

``REPORTS`` maps each report's latin name to its class, in the order the
catalogue lists them. ``run_report`` starts a streamed run; ``save_report``
writes it as .xlsx (every report) or .pdf (reports marked ``pdf``).
"""
from __future__ import annotations

from pathlib import Path

from app.services.common.errors import ServiceError
from app.services.access.permissions import VIEW_REPORTS, require
from app.services.access.personal_data import export_unmasked
from app.services.reports.agreements import AgreementsReport
from app.services.reports.base import Column, Report, ReportParams, ReportRun
from app.services.reports.communities import CommunitiesReport
from app.services.reports.efficiency import EfficiencyReport
from app.services.reports.events import EventsReport
from app.services.reports.materials import MaterialsReport
from app.services.reports.participants import ParticipantsRegister
from app.services.reports.pk_coverage import PkCoverage
from app.services.reports.pk_credits import PkCredits
from app.services.reports.pk_due import PkDue
from app.services.reports.requests import RequestsReport
from app.services.reports.young import YoungReport
from app.storage.database import Database

REPORTS: dict[str, type[Report]] = {cls.name: cls for cls in (
    PkCoverage, PkDue, PkCredits, EventsReport, MaterialsReport, YoungReport, AgreementsReport, RequestsReport,
    ParticipantsRegister, CommunitiesReport, EfficiencyReport,
)}
FORMATS = ("xlsx", "pdf")


def report_class(name: str) -> type[Report]:
    try:
        return REPORTS[(name or "").strip().lower()]
    except KeyError:
        raise ServiceError(f"Отчёт «{name}» не найден. Список отчётов: report --list.") from None


def run_report(db: Database, name: str, params: ReportParams) -> ReportRun:
    require(db, VIEW_REPORTS)
    # Full СНИЛС, phones and e-mails only for a role with the right to see them.
    export_unmasked(db, params.unmasked)
    return ReportRun(report_class(name)(), db, params.validate())


def output_format(report: type[Report] | Report, path: str | Path) -> str:
    """«xlsx» or «pdf» from the file name; refuses what the report does not offer."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ServiceError(f"Файл «{Path(path).name}»: отчёт сохраняется в .xlsx"
                           + (" или .pdf." if report.pdf else "."))
    if suffix == "pdf" and not report.pdf:
        raise ServiceError(f"Отчёт «{report.title}» ({report.name}) сохраняется только в Excel (.xlsx); "
                           "PDF есть у отчётов: " + ", ".join(n for n, c in REPORTS.items() if c.pdf) + ".")
    return suffix


__all__ = ["FORMATS", "REPORTS", "Column", "Report", "ReportParams", "ReportRun", "output_format", "report_class",
           "run_report", "save_report"]
