"""Files attached to an event (the minutes of a meeting, its programme, a presentation).

The bytes go to the file store (SHA-256 named, stored once); the database
keeps the name, hash, size and kind. To open a file it is copied out under
its own name, so that the system viewer recognises its type.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.domain.file_names import safe_file_name
from app.services.common.actor import Actor
from app.services.common.bootstrap import file_store
from app.services.common.errors import NotFound, ServiceError
from app.services.events.events import load_event, soft_delete
from app.services.registry.service import RecordService
from app.storage.database import Database
from app.storage.file_store import FileRefused
from app.storage.models import EventFile
from app.services.common.errors import describe_os_error

FILE_KINDS: dict[str, str] = {"minutes": "Протокол", "programme": "Программа", "presentation": "Презентация",
                              "other": "Другое"}


@dataclass(frozen=True)
class AttachedFile:
    id: str
    file_name: str
    sha256: str
    size: int
    kind: str

    @property
    def kind_label(self) -> str:
        return FILE_KINDS.get(self.kind, self.kind)

    @property
    def size_text(self) -> str:
        if self.size < 1024:
            return f"{self.size} Б"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.0f} КБ"
        return f"{self.size / 1024 / 1024:.1f} МБ".replace(".", ",")


def attach_file(db: Database, actor: Actor | None, event_id: str, path: str | os.PathLike,
                kind: str = "minutes") -> str:
    """Copies the file into the store and attaches it to the event; the new attachment id."""
    if kind not in FILE_KINDS:
        raise ServiceError(f"Неизвестный вид файла «{kind}»: {', '.join(FILE_KINDS.values())}.")
    source = Path(path)
    if not source.is_file():
        raise ServiceError(f"Файл «{source}» не найден.")
    with db.read() as s:
        load_event(s, event_id)
    try:
        stored = file_store(db).add(source)
    except FileRefused as exc:
        raise ServiceError(f"{exc}.") from None
    except OSError as exc:
        raise ServiceError(f"Не удалось прочитать файл «{source.name}»: {describe_os_error(exc, with_path=False)}.") from None
    created = RecordService(db, actor).create("event_files", {
        "event_id": event_id, "file_name": stored.file_name[:255], "sha256": stored.sha256,
        "size": stored.size, "kind": kind})
    return created["id"]


def event_files(db: Database, event_id: str) -> list[AttachedFile]:
    with db.read() as s:
        rows = s.scalars(select(EventFile).where(EventFile.event_id == event_id, EventFile.deleted_at.is_(None))
                         .order_by(EventFile.created_at, EventFile.id))
        return [AttachedFile(f.id, f.file_name, f.sha256, f.size, f.kind) for f in rows]


def _load_file(s, file_id: str) -> EventFile:
    row = s.get(EventFile, file_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f"Файл с идентификатором {file_id} не найден.")
    return row


def remove_file(db: Database, actor: Actor | None, file_id: str) -> None:
    """Detaches the file (to the recycle bin); the stored bytes stay, other records may share them."""
    service = RecordService(db, actor)
    with service.batch() as b:
        row = _load_file(b.session, file_id)
        soft_delete(b, "event_files", row.id, row.file_name)


def export_file(db: Database, file_id: str, destination: str | os.PathLike | None = None) -> Path:
    """Copies the attachment out under its own name (into a temporary folder when none is given)."""
    with db.read() as s:
        row = _load_file(s, file_id)
        name, sha = row.file_name, row.sha256
    store = file_store(db)
    if not store.has(sha):
        raise ServiceError(f"Содержимое файла «{name}» не найдено в хранилище файлов ({store.root}).")
    if destination is None:
        destination = Path(tempfile.mkdtemp(prefix="metodset-")) / safe_file_name(name)
    return store.export(sha, destination)
