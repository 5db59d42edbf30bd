"""Files of methodical materials: copied into the file store, listed, exported, opened.

The bytes go to the application's file store (SHA-256 named, one copy however
often attached); the database keeps a row per attachment. A file is copied in
when the user picks it (``stage_file``) and its row is written when the
material is saved, in the same transaction as the material (materials_save).
The size limit is the setting ``attachment_max_mb`` (app_meta).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.domain.file_names import safe_file_name
from app.services.common.bootstrap import data_dir, file_store
from app.services.common.errors import ServiceError
from app.services.registry.overview import setting_int
from app.storage.database import Database
from app.storage.file_store import FileRefused, FileStore, FileTooLarge
from app.storage.models import MaterialFile
from app.services.common.errors import describe_os_error

LIMIT_SETTING = "attachment_max_mb"
DEFAULT_LIMIT_MB = 200


@dataclass(frozen=True)
class AttachedFile:
    """A file of a material; ``id`` is None while it is only staged (picked, not yet saved)."""
    id: str | None
    file_name: str
    sha256: str
    size: int
    round: int = 1
    added_at: datetime | None = None

    @property
    def size_text(self) -> str:
        return human_size(self.size)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} КБ"
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")


def limit_bytes(db: Database) -> int:
    mb = setting_int(db, LIMIT_SETTING, DEFAULT_LIMIT_MB)
    return (mb if mb > 0 else DEFAULT_LIMIT_MB) * 1024 * 1024


def store(db: Database) -> FileStore:
    """The file store of this database with the configured size limit."""
    fs = file_store(db)
    fs.max_bytes = limit_bytes(db)
    return fs


def stage_file(db: Database, path: str | os.PathLike) -> AttachedFile:
    """Copies a picked file into the store (if new); its row is written when the material is saved."""
    source = Path(path)
    if not source.is_file():
        raise ServiceError(f"Файл «{source}» не найден.")
    try:
        stored = store(db).add(source)
    except FileTooLarge as exc:
        raise ServiceError(str(exc) + ". Предельный размер меняется в настройке «attachment_max_mb».") from None
    except FileRefused as exc:
        raise ServiceError(f"{exc}.") from None
    except OSError as exc:
        raise ServiceError(f"Не удалось прочитать файл «{source.name}»: {describe_os_error(exc, with_path=False)}.") from None
    return AttachedFile(None, stored.file_name, stored.sha256, stored.size)


def list_files(db: Database, material_id: str) -> list[AttachedFile]:
    with db.read() as s:
        rows = s.scalars(select(MaterialFile).where(MaterialFile.material_id == material_id,
                                                    MaterialFile.deleted_at.is_(None))
                         .order_by(MaterialFile.round, MaterialFile.added_at, MaterialFile.file_name))
        return [AttachedFile(r.id, r.file_name, r.sha256, r.size, r.round or 1, r.added_at) for r in rows]


def _check_present(fs: FileStore, f: AttachedFile) -> None:
    if not fs.has(f.sha256):
        raise ServiceError(f"Файл «{f.file_name}» отсутствует в хранилище файлов ({fs.root}). "
                           "Восстановите папку с файлами из резервной копии.")


def export_file(db: Database, f: AttachedFile, destination: str | os.PathLike) -> Path:
    """«Сохранить как…»: a copy under the name and folder the user chose."""
    fs = file_store(db)
    _check_present(fs, f)
    try:
        return fs.export(f.sha256, destination)
    except OSError as exc:
        raise ServiceError(f"Не удалось сохранить файл «{destination}»: {describe_os_error(exc, with_path=False)}.") from None


def viewing_copy(db: Database, f: AttachedFile) -> Path:
    """A copy under the original name to open with the system viewer.

    The stored file has no extension (its name is the hash), so the viewer
    would not know what it is; the copy lives in the data folder under the
    hash prefix, so two files of the same name do not overwrite each other.
    """
    fs = file_store(db)
    _check_present(fs, f)
    name = safe_file_name(f.file_name)
    target = data_dir() / "opened" / f.sha256[:16] / name
    if target.is_file() and target.stat().st_size == f.size:
        return target
    try:
        return fs.export(f.sha256, target)
    except OSError as exc:
        raise ServiceError(f"Не удалось подготовить файл «{f.file_name}» к просмотру: {describe_os_error(exc, with_path=False)}.") from None
