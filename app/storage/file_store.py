"""Attached files kept once each, named by their SHA-256.

Materials, event minutes and other attachments store only the hash, the
original name and the size in the database; the bytes live here, beside the
database file, so that a backup of the folder carries both. A file attached
twice (or to two records) is stored once.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.domain.file_names import safe_file_name

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_CHUNK = 1024 * 1024


class FileRefused(ValueError):
    """A file that cannot be attached; the message (Russian) says why."""


class FileTooLarge(FileRefused):
    pass


class EmptyFile(FileRefused):
    pass


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    file_name: str


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")


class FileStore:
    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES):
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add(self, source: str | os.PathLike) -> StoredFile:
        """Copies the file in (if its content is new) and returns its hash and size.

        The copy goes to a temporary file first and is renamed into place only
        once complete, so an interrupted copy never leaves a truncated file under
        a valid name.
        """
        source = Path(source)
        size = source.stat().st_size
        if size == 0:
            raise EmptyFile(f"Файл «{source.name}» пустой (0 байт): прикреплять нечего; проверьте, тот ли файл выбран")
        if size > self.max_bytes:
            raise FileTooLarge(
                f"Файл «{source.name}» слишком большой: {_human_size(size)}; "
                f"можно прикрепить файл не больше {_human_size(self.max_bytes)}"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            if target.is_file():
                os.unlink(tmp_name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp_name, target)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        return StoredFile(sha256=sha, size=size, file_name=safe_file_name(source.name))

    def add_bytes(self, data: bytes, file_name: str) -> StoredFile:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / safe_file_name(file_name)
            path.write_bytes(data)
            return self.add(path)

    def read_bytes(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def verify(self, sha256: str) -> bool:
        """True when the stored bytes still hash to their name (not damaged on disk)."""
        path = self.path_for(sha256)
        if not path.is_file():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256

    def export(self, sha256: str, destination: str | os.PathLike) -> Path:
        """Copies a stored file out under a name the user chose (or to open it)."""
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path_for(sha256), destination)
        return destination
