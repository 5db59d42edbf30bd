"""«Aggregates only» packages: per-organisation figures instead of any personal row.

The municipality counts, for each organisation, its live teachers, those
covered by professional development within three years, due soon, overdue,
young (the same rules as the dashboard) and the credits of completed route
items by year. The region keeps the newest figures of each municipality in
``sync_aggregate``.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.deadlines import pd_limits
from app.services.registry.deadline_settings import read_windows
from app.storage.models import Organization, SyncAggregate, Teacher, Trajectory, TrajectoryItem
from app.sync.errors import PackageRefused
from app.storage.portable_sql import year_text

PART = "aggregates/organizations.jsonl"
FIELDS = ("organization_id", "organization_name", "teachers", "covered", "due_soon", "overdue", "young",
          "credits_by_year")
_COUNTS = ("teachers", "covered", "due_soon", "overdue", "young")
_YEAR = re.compile(r"^\d{4}$")
NO_ORGANIZATION = "00000000-0000-0000-0000-000000000000"


def compute(s: Session, today: date) -> list[dict]:
    overdue_by, soon_by = pd_limits(today, read_windows(s).pd_warn_months)
    names = dict(s.execute(select(Organization.id, func.coalesce(func.nullif(Organization.short_name, ""),
                                                                 Organization.full_name))).all())
    figures: dict[str, dict] = {}

    def entry(org_id: str | None) -> dict:
        key = org_id or NO_ORGANIZATION
        if key not in figures:
            figures[key] = {"organization_id": key, "organization_name": names.get(org_id, "") if org_id else
                            "без организации", **{c: 0 for c in _COUNTS}, "credits_by_year": defaultdict(float)}
        return figures[key]

    rows = s.execute(select(Teacher.organization_id, Teacher.last_pd_on, Teacher.career_start, Teacher.hired_on,
                            Teacher.birth_date).where(Teacher.deleted_at.is_(None)))
    for org_id, last_pd, career_start, hired_on, birth in rows:
        f = entry(org_id)
        f["teachers"] += 1
        base = last_pd or career_start or hired_on
        if last_pd is not None and last_pd > overdue_by:
            f["covered"] += 1
        if base is not None and base <= overdue_by:
            f["overdue"] += 1
        elif base is not None and base <= soon_by:
            f["due_soon"] += 1
        if rules.is_young_teacher(birth, career_start, today):
            f["young"] += 1
    year = year_text(func.coalesce(TrajectoryItem.actual_end, TrajectoryItem.document_date))
    credits = s.execute(
        select(Teacher.organization_id, year, func.sum(TrajectoryItem.credits))
        .join(Trajectory, Trajectory.teacher_id == Teacher.id)
        .join(TrajectoryItem, TrajectoryItem.trajectory_id == Trajectory.id)
        .where(Teacher.deleted_at.is_(None), Trajectory.deleted_at.is_(None), TrajectoryItem.deleted_at.is_(None),
               TrajectoryItem.status == "completed", year.is_not(None))
        .group_by(Teacher.organization_id, year))
    for org_id, y, total in credits:
        entry(org_id)["credits_by_year"][y] += float(total or 0)
    out = []
    for key in sorted(figures):
        f = figures[key]
        f["credits_by_year"] = {y: round(v, 2) for y, v in sorted(f["credits_by_year"].items())}
        out.append(f)
    return out


def encode(figures: list[dict]) -> bytes:
    return "".join(json.dumps(f, ensure_ascii=False, sort_keys=True) + "\n" for f in figures).encode("utf-8")


def decode(body: bytes) -> list[dict]:
    """Strict, like the record parts: exactly the known fields with the right types."""
    out = []
    try:
        lines = body.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise PackageRefused(f"Файл «{PART}» в пакете не в кодировке UTF-8.") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"«{PART}», строка {n}"
        try:
            f = json.loads(line)
        except ValueError:
            f = None
        if not isinstance(f, dict) or set(f) != set(FIELDS):
            raise PackageRefused(f"{where}: ожидается объект с полями {', '.join(FIELDS)}.")
        if not isinstance(f["organization_id"], str) or len(f["organization_id"]) > 36 \
                or not isinstance(f["organization_name"], str) or len(f["organization_name"]) > 500:
            raise PackageRefused(f"{where}: неверная организация.")
        for c in _COUNTS:
            if type(f[c]) is not int or f[c] < 0:
                raise PackageRefused(f"{where}, поле «{c}»: ожидается целое число не меньше 0.")
        by_year = f["credits_by_year"]
        if not isinstance(by_year, dict) or any(not _YEAR.match(str(y)) or type(v) not in (int, float) or v < 0
                                                for y, v in by_year.items()):
            raise PackageRefused(f"{where}, поле «credits_by_year»: ожидается {{\"ГГГГ\": число}}.")
        out.append(f)
    return out


def store(s: Session, code: str, package_id: str, as_of: date, figures: list[dict]) -> None:
    """Replaces the municipality's previous figures with this package's."""
    s.execute(delete(SyncAggregate).where(SyncAggregate.municipality_code == code))
    for f in figures:
        s.add(SyncAggregate(municipality_code=code, package_id=package_id, as_of=as_of,
                            organization_id=f["organization_id"], organization_name=f["organization_name"],
                            **{c: f[c] for c in _COUNTS},
                            credits_by_year=json.dumps(f["credits_by_year"], ensure_ascii=False, sort_keys=True)))
    s.flush()


def stored(s: Session) -> list[SyncAggregate]:
    return list(s.scalars(select(SyncAggregate).order_by(SyncAggregate.municipality_code,
                                                         SyncAggregate.organization_name)))
