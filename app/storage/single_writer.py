"""One writer per database file, and never a database on a network share.

SQLite's WAL needs shared memory that network file systems do not provide
(sqlite.org/wal.html, useovernet.html), and two copies of the program writing
one file from two PCs is how registries get corrupted. So:

- ``refuse_network_share`` rejects UNC paths and network drives on Windows
  and nfs/cifs/smb/… mounts on Linux (read from /proc/mounts);
- ``WriterLock`` holds an OS lock (flock / msvcrt.locking) on
  ``<database>.lock`` beside the file. The OS drops it when the process dies,
  so a lock left by a crashed program is simply taken over; the file's text
  (pid, host, time) only serves the message shown to the second instance.
"""
from __future__ import annotations

import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs",
                    "fuse.sshfs", "sshfs", "davfs", "fuse.davfs2", "ncpfs", "lustre", "gpfs", "beegfs"}
# Far past the lock file's short text: Windows byte-range locks would otherwise hide the text from readers.
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseInUse(RuntimeError):
    """Another program holds the database, or the file is where SQLite must not be used (Russian message)."""


def _linux_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The network file-system type ``path`` lives on (Linux), or None."""
    mounts = _linux_mounts() if mounts is None else mounts
    best, best_type = "", None
    target = str(path)
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, best_type = point, parts[2].lower()
    return best_type if best_type in NETWORK_FS_TYPES else None


def _windows_remote_drive(path: Path) -> bool:
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    if not drive:
        return False
    DRIVE_REMOTE = 4  # noqa: N806 - the Windows constant's name
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE


def network_share_reason(path: Path, *, platform: str | None = None, mounts: str | None = None) -> str | None:
    """Why ``path`` is on a network share (Russian), or None for a local disk."""
    platform = platform or sys.platform
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return f"путь {text} указывает на сетевую папку"
    if platform.startswith("win"):
        if _windows_remote_drive(path):
            return f"диск {os.path.splitdrive(text)[0]} — сетевой"
        return None
    fs = network_filesystem(path, mounts)
    if fs:
        return f"папка смонтирована по сети ({fs})"
    return None


def refuse_network_share(path: Path, **kw) -> None:
    reason = network_share_reason(path, **kw)
    if reason:
        raise DatabaseInUse(
            f"База данных {path} находится в сетевой папке: {reason}. SQLite нельзя безопасно использовать "
            "по сети — данные могут быть повреждены. Скопируйте базу на локальный диск этого компьютера; "
            "для обмена между компьютерами пользуйтесь пакетами обмена.")


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform.startswith("win"):
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    try:
        if sys.platform.startswith("win"):
            import msvcrt

            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def holder_description(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"программа (процесс {info['pid']}) на компьютере {info['host']}, открыта {info['since']}"
    except (OSError, ValueError, KeyError):
        return "другая копия программы"


class WriterLock:
    """The right to write one database file, held until ``release`` or the end of the process."""

    def __init__(self, db_path: Path):
        self.path = lock_path(Path(db_path))
        self._fd: int | None = None

    def acquire(self) -> "WriterLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseInUse(
                f"База данных {self.path.with_suffix('')} уже открыта: {holder_description(self.path)}. "
                "Одновременно с базой может работать только одна копия МетодСети — закройте другую "
                "и повторите.")
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": datetime.now().strftime("%d.%m.%Y %H:%M:%S")}
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None
