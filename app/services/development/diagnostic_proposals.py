"""Programmes to propose for a professional deficit: those of the catalogue that address its competence.

A programme addresses the competences listed in its «Компетенции (дефициты)»
field. A rejected programme, or one whose certificate has ended, is not
proposed; certified ones come first, then the shorter ones (a deficit is
usually closed by a short course), then by title.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from app.domain import enums as E
from app.domain.validators import format_date
from app.storage.database import Database
from app.storage.models import Programme

DEFICIT_SHARE = 0.6         # the same threshold as the diagnostics import: below 60 % of the maximum


@dataclass(frozen=True)
class ProgrammeOption:
    id: str
    title: str
    hours: int
    certified: bool
    certified_until: date | None

    @property
    def label(self) -> str:
        """«Цифровая дидактика (36 ч, сертифицирована до 31.12.2026)»."""
        facts = [f"{self.hours} ч"]
        if self.certified:
            facts.append("сертифицирована" + (f" до {format_date(self.certified_until)}"
                                               if self.certified_until else ""))
        return f"{self.title} ({', '.join(facts)})"


def is_deficit(score: float | None, max_score: float | None) -> bool:
    if score is None:
        return False
    return score < DEFICIT_SHARE * (max_score or 100.0)


def programmes_by_competence(db: Database, today: date | None = None) -> dict[str, list[ProgrammeOption]]:
    """Every competence code → the programmes to propose for it, best first (see the module docstring)."""
    today = today or date.today()
    certified = E.CertificationStatus.CERTIFIED.value
    out: dict[str, list[ProgrammeOption]] = {code: [] for code, _label in E.COMPETENCES}
    with db.read() as s:
        rows = s.execute(
            select(Programme.id, Programme.title, Programme.hours, Programme.certification_status,
                   Programme.certified_until, Programme.competences)
            .where(Programme.deleted_at.is_(None), Programme.competences != "",
                   Programme.certification_status != E.CertificationStatus.REJECTED.value,
                   or_(Programme.certification_status != certified, Programme.certified_until.is_(None),
                       Programme.certified_until >= today))
            .order_by((Programme.certification_status == certified).desc(), Programme.hours,
                      func.lower(Programme.title)))
        for pid, title, hours, status, until, competences in rows:
            option = ProgrammeOption(pid, title, hours, status == certified, until)
            for code in {c.strip() for c in competences.split(",") if c.strip()}:
                out.setdefault(code, []).append(option)
    return out
