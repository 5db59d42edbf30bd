"""Database health: integrity checks, backups and restore."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text

from app.services.access import audit
from app.services.common.actor import Actor
from app.services.maintenance.backups import (RESTORED_AT_KEY, RESTORED_LEDGER_KEY, backup_before, daily_backup,
                                              restored_stamp)
from app.services.access.permissions import MANAGE_BACKUPS, require
from app.services.common.bootstrap import backups_dir
from app.storage import copies
from app.storage import integrity
from app.storage.backup import BackupError
from app.storage.database import Database
from app.storage.models import Account, AppMeta, SyncPackage
from app.storage.migrate import current_revision, head_revision, upgrade_database


@dataclass
class CheckReport:
    schema_revision: str | None
    expected_revision: str
    integrity: list[str] = field(default_factory=list)
    foreign_key_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.schema_revision == self.expected_revision and self.integrity == ["ok"]
                and not self.foreign_key_problems)

    def lines(self) -> list[str]:
        out = [f"Версия схемы: {self.schema_revision or 'нет'} (ожидается {self.expected_revision})"]
        out.append("Целостность: " + ("в порядке" if self.integrity == ["ok"] else "; ".join(self.integrity)))
        out.append("Внешние ключи: " + ("в порядке" if not self.foreign_key_problems
                                        else f"нарушений {len(self.foreign_key_problems)}: "
                                             + "; ".join(self.foreign_key_problems[:10])))
        out.append("Итог: база исправна" if self.ok else "Итог: обнаружены проблемы")
        return out


def check_database(db: Database) -> CheckReport:
    report = CheckReport(current_revision(db), head_revision())
    report.integrity = integrity.integrity_problems(db)
    report.foreign_key_problems = integrity.foreign_key_problems(db)
    return report


def backup(db: Database, out: Path) -> Path:
    require(db, MANAGE_BACKUPS, "создавать резервные копии")
    return copies.backup_to(db, Path(out))


def automatic_backup(db: Database, reason: str) -> Path:
    return copies.backup_into(db, backups_dir(db), reason)


# Accounts stay as they are now: a restore must not bring back a password changed
# since the copy, an account blocked since, or a colleague's account deleted since.
KEPT_ON_RESTORE = ("account",)


@dataclass(frozen=True)
class RestorePreview:
    """What a restore from one copy will do to the accounts (shown before the user confirms)."""

    accounts_now: int
    accounts_in_copy: int | None        # None: a PostgreSQL dump, which is not read before it is restored

    def accounts_line(self) -> str:
        in_copy = f"; в копии их {self.accounts_in_copy}" if self.accounts_in_copy is not None else ""
        return (f"Учётные записи не восстанавливаются из копии: останутся текущие ({self.accounts_now}) "
                f"с их паролями и блокировками{in_copy}.")


def restore_preview(db: Database, backup_file: Path) -> RestorePreview:
    copies.check_copy(db, Path(backup_file))
    with db.read() as s:
        now = s.scalar(select(func.count()).select_from(Account)) or 0
    return RestorePreview(now, copies.rows_in_copy(db, Path(backup_file), "account"))


def restore(db: Database, backup_file: Path, actor: Actor | None = None) -> Path:
    """Replaces the database with a backup, keeping today's accounts; the current state is saved first."""
    require(db, MANAGE_BACKUPS, "восстанавливать базу из резервной копии")
    preview = restore_preview(db, Path(backup_file))
    safety = automatic_backup(db, "before-restore")
    copies.restore_from(db, Path(backup_file), keep_tables=KEPT_ON_RESTORE)
    # A backup made by an older version is brought up to this version's schema.
    upgrade_database(db, backups_dir(db))
    with db.session() as s:
        s.merge(AppMeta(key=RESTORED_AT_KEY, value=restored_stamp()))
        s.merge(AppMeta(key=RESTORED_LEDGER_KEY, value=str(s.scalar(select(func.max(SyncPackage.id))) or 0)))
        audit.write(s, actor or Actor.system_user(), "restore_db", "database", "",
                    summary=f"Восстановлено из {backup_file}; прежнее состояние сохранено в {safety}. "
                            f"Учётные записи оставлены текущие ({preview.accounts_now})"
                            + (f", в копии их было {preview.accounts_in_copy}." if preview.accounts_in_copy
                               is not None else "."))
    return safety


def ping(db: Database) -> None:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


__all__ = ["backup_before", "daily_backup", "CheckReport", "check_database", "backup", "restore", "restore_preview",
           "RestorePreview", "automatic_backup", "BackupError"]


@dataclass(frozen=True)
class AboutInfo:
    version: str
    database: str
    schema_revision: str
    data_folder: Path
    backups_folder: Path


def about(db: Database) -> AboutInfo:
    """What «О программе» shows: the version, the database and its schema, where the user's files live."""
    from app.release import version
    from app.services.common.bootstrap import data_dir

    return AboutInfo(version(), db.describe(), current_revision(db) or "—", data_dir(), backups_dir(db))
