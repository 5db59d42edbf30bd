"""Saving a material with its authors and files as one user action (one transaction).

The form of a material collects the field changes, the authors added and
removed and the files attached and removed; ``save_material`` writes all of
it or nothing. A file's bytes are already in the store (stage_file); only
its row is written here, for the material's current version (round).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import select

from app.services.common.errors import ServiceError
from app.services.materials.files import AttachedFile, stage_file
from app.services.registry.service import RecordService
from app.storage.base import utcnow
from app.storage.models import Material, MaterialFile


@dataclass
class MaterialChanges:
    values: dict[str, Any] = field(default_factory=dict)       # the material's own fields that changed
    authors_added: list[str] = field(default_factory=list)     # teacher ids
    authors_removed: list[str] = field(default_factory=list)   # material_author ids
    files_added: list[AttachedFile] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)     # material_file ids

    def __bool__(self) -> bool:
        return bool(self.values or self.authors_added or self.authors_removed or self.files_added
                    or self.files_removed)


def save_material(service: RecordService, material_id: str | None, changes: MaterialChanges) -> dict[str, Any]:
    """Creates or updates the material and its authors and files; the saved material."""
    with service.batch() as b:
        if material_id is None:
            material = b.create("materials", changes.values)
        else:
            material = b.update("materials", material_id, changes.values)
        for row_id in changes.authors_removed:
            b.delete("material_authors", row_id)
        for teacher_id in changes.authors_added:
            b.create("material_authors", {"material_id": material["id"], "teacher_id": teacher_id})
        for row_id in changes.files_removed:
            b.delete("material_files", row_id)
        add_file_rows(b, material["id"], changes.files_added)
    return material


def add_file_rows(b, material_id: str, files: Iterable[AttachedFile], round_no: int | None = None) -> list[str]:
    """Rows for staged files inside the caller's batch; a file already attached to this version is skipped."""
    s = b.session
    material = s.get(Material, material_id)
    round_no = round_no or material.current_round or 1
    present = {(sha, name) for sha, name in s.execute(select(MaterialFile.sha256, MaterialFile.file_name).where(
        MaterialFile.material_id == material_id, MaterialFile.round == round_no,
        MaterialFile.deleted_at.is_(None)))}
    ids = []
    for f in files:
        if f.id is not None:
            raise ServiceError(f"Файл «{f.file_name}» уже прикреплён.")
        if (f.sha256, f.file_name) in present:
            continue
        present.add((f.sha256, f.file_name))
        row = b.create("material_files", {"material_id": material_id, "file_name": f.file_name,
                                          "sha256": f.sha256, "size": f.size, "round": round_no})
        s.get(MaterialFile, row["id"]).added_at = utcnow()
        ids.append(row["id"])
    return ids


def attach_files(service: RecordService, material_id: str, paths: Iterable[str | os.PathLike]) -> list[str]:
    """Copies the files in and attaches them to the material's current version; the new row ids."""
    staged = [stage_file(service.db, p) for p in paths]
    with service.batch() as b:
        return add_file_rows(b, material_id, staged)
