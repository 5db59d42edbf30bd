"""Automatic backups (before imports, daily on start), how many are kept, and finding a good one.

Automatic copies are named ``<db>-<YYYYmmdd-HHMMSS-ffffff>-<reason>.sqlite`` in
the backups folder beside the database (app/storage/backup.py writes them with
SQLite's online backup API) — on PostgreSQL ``<database>-…-<reason>.dump`` made
by pg_dump in the user's data folder; only the newest N are kept, N being a setting.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.services.common.bootstrap import backups_dir
from app.services.common.errors import ServiceError
from app.services.access.permissions import MANAGE_BACKUPS, require
from app.storage import backup as storage_backup
from app.storage import copies, pg_backup
from app.storage.backup import BackupError
from app.storage.database import Database
from app.storage.driver_errors import driver_message
from app.storage.models import AppMeta, AuditLog

KEEP_SETTING = "backup_keep_count"
DEFAULT_KEEP = 10
DAILY = "daily"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[\w.-]+?)(?P<suffix>\.sqlite|\.dump)$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    reason: str
    size: int


def list_backups(db_or_path: Database | Path) -> list[BackupInfo]:
    """The automatic backups of this database, newest first."""
    suffix = copies.SQLITE_SUFFIX
    if isinstance(db_or_path, Database):
        folder, stem, suffix = backups_dir(db_or_path), _stem(db_or_path), copies.copy_suffix(db_or_path)
    else:
        folder, stem = Path(db_or_path).parent / "backups", Path(db_or_path).stem
    out = []
    if folder.is_dir():
        for p in folder.glob("*" + suffix):
            m = _NAME.match(p.name)
            if m and m["stem"] == stem and m["suffix"] == suffix:
                out.append(BackupInfo(p, datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S-%f"), m["reason"],
                                      p.stat().st_size))
    return sorted(out, key=lambda b: b.made_at, reverse=True)


def keep_count(db: Database) -> int:
    with db.read() as s:
        value = s.scalar(select(AppMeta.value).where(AppMeta.key == KEEP_SETTING))
    try:
        return max(1, int(value)) if value else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def set_keep_count(db: Database, n: int) -> None:
    require(db, MANAGE_BACKUPS, "менять настройки резервного копирования")
    if not 1 <= int(n) <= 1000:
        raise ServiceError("Число хранимых резервных копий должно быть от 1 до 1000.")
    with db.session() as s:
        row = s.get(AppMeta, KEEP_SETTING)
        if row is None:
            s.add(AppMeta(key=KEEP_SETTING, value=str(int(n))))
        else:
            row.value = str(int(n))
    prune(db)


def prune(db: Database) -> list[Path]:
    """Deletes automatic backups beyond the newest N; returns what was deleted."""
    removed = []
    for info in list_backups(db)[keep_count(db):]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def _holds_data(db: Database) -> bool:
    # Every change is audited: an empty log means there is nothing to lose yet.
    with db.read() as s:
        return bool(s.scalar(select(func.count()).select_from(select(AuditLog.id).limit(1).subquery())))


def _stem(db: Database) -> str:
    """The name the copies of this database start with: the file's, or the server database's."""
    if db.path is not None:
        return db.path.stem
    return make_url(db.url).database or "metodset"


def _can_copy(db: Database) -> bool:
    # A PostgreSQL database is copied with pg_dump: a PC without the client tools makes no automatic
    # copy (the server's own backups stand) rather than refusing the import itself.
    return db.is_sqlite or pg_backup.has_tools()


def backup_before(db: Database, reason: str) -> Path | None:
    """A safety copy before an action that changes much (import, sync import, restore); None if nothing to keep."""
    if (db.is_sqlite and db.path is None) or not _can_copy(db) or not _holds_data(db):
        return None
    slug = re.sub(r"[^\w.-]+", "-", f"before-{reason}").strip("-")[:60]
    path = copies.backup_into(db, backups_dir(db), slug)
    prune(db)
    return path


def daily_backup(db: Database, today: date | None = None) -> Path | None:
    """The first start of a day keeps a copy; later starts that day do nothing."""
    if (db.is_sqlite and db.path is None) or not _can_copy(db) or not _holds_data(db):
        return None
    today = today or date.today()
    if any(b.reason == DAILY and b.made_at.date() == today for b in list_backups(db)):
        return None
    path = copies.backup_into(db, backups_dir(db), DAILY)
    prune(db)
    return path


def damage(db_path: Path, *, thorough: bool = False) -> str | None:
    """What is wrong with the file (Russian), or None.

    The quick look (on every start) reads the header, the schema and the schema
    version — it costs milliseconds; ``thorough`` adds PRAGMA quick_check, which
    reads every page (seconds on a regional database) and belongs to ``check``.
    """
    if not Path(db_path).is_file():
        return None
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" in tables:
                con.execute("SELECT version_num FROM alembic_version").fetchall()
            rows = [r[0] for r in con.execute("PRAGMA quick_check")] if thorough else ["ok"]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return driver_message(exc)
    return None if rows == ["ok"] else "; ".join(rows[:5])


def latest_good_backup(db_path: Path) -> Path | None:
    for info in list_backups(Path(db_path)):
        try:
            storage_backup.check_backup_file(info.path)
        except BackupError:
            continue
        return info.path
    return None


# When the database was last replaced by a backup (UTC, ISO), and the last package its log then held:
# the exchange with the region starts its chain again from there (app/sync/export.py), since the region
# has seen packages the copy never made.
RESTORED_AT_KEY = "database_restored_at"
RESTORED_LEDGER_KEY = "database_restored_ledger"


def restored_stamp() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds")


def recover_from_backup(db_path: Path, backup_file: Path) -> Path:
    """Puts the damaged file aside (never deleted) and makes the backup the database; the set-aside path."""
    db_path, backup_file = Path(db_path), Path(backup_file)
    storage_backup.check_backup_file(backup_file)
    aside = db_path.with_name(f"{db_path.name}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
    if db_path.exists():
        db_path.replace(aside)
    for suffix in ("-wal", "-shm"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            extra.replace(aside.with_name(aside.name + suffix))
    storage_backup.copy_sqlite(backup_file, db_path)
    storage_backup.set_meta(db_path, RESTORED_AT_KEY, restored_stamp())
    storage_backup.set_meta(db_path, RESTORED_LEDGER_KEY, str(storage_backup.max_id(db_path, "sync_package") or 0))
    return aside
