"""What records an account may read: an expert sees only the materials assigned to them.

RecordService applies ``restrict`` to every list query and ``visible`` to every
record it loads, so a page, an export and the command line all see the same.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from app.services.access.permissions import EXPERT, current
from app.storage.database import Database
from app.storage.models import Review

# Entities that belong to a material, by the column naming it.
_MATERIAL_KEY = {"materials": "id", "material_files": "material_id", "material_authors": "material_id",
                 "reviews": "material_id"}


def _expert_teacher(db: Database) -> str | None | bool:
    """The expert's teacher id; False when the account is not an expert (nothing to restrict)."""
    account = current(db)
    if account is None or account.role != EXPERT:
        return False
    return account.teacher_id


def _assigned_materials(teacher_id: str | None):
    return select(Review.material_id).where(Review.expert_id == teacher_id, Review.deleted_at.is_(None))


def restrict(db: Database, entity: str, model: type, stmt: Select) -> Select:
    teacher = _expert_teacher(db)
    if teacher is False or entity not in _MATERIAL_KEY:
        return stmt
    if entity == "reviews":
        return stmt.where(model.expert_id == teacher)
    return stmt.where(getattr(model, _MATERIAL_KEY[entity]).in_(_assigned_materials(teacher)))


def visible(db: Database, session, entity: str, obj) -> bool:
    teacher = _expert_teacher(db)
    if teacher is False or entity not in _MATERIAL_KEY:
        return True
    if entity == "reviews":
        return obj.expert_id == teacher
    material_id = getattr(obj, _MATERIAL_KEY[entity])
    return session.scalar(_assigned_materials(teacher).where(Review.material_id == material_id).limit(1)) is not None
