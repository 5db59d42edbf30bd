"""Schema migrations with Alembic, run on start after an automatic backup.

The scripts ship inside the package (``script_location`` is set here, not in
an ini file) so that an installed or frozen build finds them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from app.release import version
from app.storage import pg_backup
from app.storage.backup import backup_database, restore_database
from app.storage.copies import backup_into
from app.storage.database import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Known without importing Alembic,
# which costs a tenth of a second on every start; a test keeps it in step.
HEAD_REVISION = "0018_postgres_change_sequence"
# The program version that last built or upgraded the schema, kept in app_meta: a refusal of a
# newer database can then name the version the user needs.
PROGRAM_VERSION_KEY = "program_version"


class SchemaError(RuntimeError):
    """The database cannot be opened by this version of the application (Russian message)."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


def alembic_config(db: Database) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade_database(db: Database, backup_dir: Path | None = None) -> MigrationResult:
    """Brings the schema to the head revision; copies a database that holds data first.

    A migration that fails leaves the database as it was: a SQLite file is put back from the copy
    (SQLite commits each DDL statement of Alembic's on its own), a PostgreSQL transaction is rolled
    back whole. Either way the ``SchemaError`` says what happened and where the copy is."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return MigrationResult(current, head, None)
    if current is not None and current not in known_revisions():
        raise SchemaError(_newer_schema_message(db, current, head))
    if current is None and inspect(db.engine).get_table_names():
        raise SchemaError(
            f"Файл {db.describe()} не является базой данных МетодСети: в нём есть чужие таблицы."
        )
    backup_path = _copy_before_upgrade(db, current, backup_dir)
    try:
        _run_migrations(db)
    except Exception as exc:  # noqa: BLE001 - whatever broke, the user's database is put back first
        raise SchemaError(_failed_upgrade_message(db, current, head, backup_path, exc)) from exc
    return MigrationResult(current, head, backup_path)


def _copy_before_upgrade(db: Database, current: str | None, backup_dir: Path | None) -> Path | None:
    if current is None:
        return None                 # a new, empty database: nothing to lose
    reason = f"before-upgrade-{current}"
    if db.path is not None:
        return backup_database(db, backup_dir or db.path.parent / "backups", reason=reason)
    if backup_dir is not None and pg_backup.has_tools():
        # On the server the upgrade is one transaction anyway; the copy is for what a transaction
        # cannot undo (a migration that was wrong but succeeded). A pg_dump that fails (e.g. one older than
        # the server) must not keep every client off the server: the upgrade goes on without it.
        try:
            return backup_into(db, backup_dir, reason)
        except Exception:  # noqa: BLE001 - BackupError, OSError: the copy is a precaution, not a condition
            return None
    return None


def _run_migrations(db: Database) -> None:
    from alembic import command

    cfg = alembic_config(db)
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection if db.is_sqlite else None
        if raw is not None:
            conn.commit()
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            _record_program_version(conn)
            conn.commit()
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _record_program_version(conn) -> None:
    conn.execute(text("DELETE FROM app_meta WHERE key = :key"), {"key": PROGRAM_VERSION_KEY})
    conn.execute(text("INSERT INTO app_meta (key, value) VALUES (:key, :value)"),
                 {"key": PROGRAM_VERSION_KEY, "value": version()})


def recorded_program_version(db: Database) -> str | None:
    """The МетодСеть version that last built or upgraded this database's schema (None before 0.1.0 kept it)."""
    try:
        with db.engine.connect() as conn:
            return conn.execute(text("SELECT value FROM app_meta WHERE key = :key"),
                                {"key": PROGRAM_VERSION_KEY}).scalar() or None
    except Exception:  # noqa: BLE001 - a schema we do not know may not have the table at all
        return None


def _newer_schema_message(db: Database, current: str, head: str) -> str:
    theirs = recorded_program_version(db)
    made_by = f"более новой версией программы — МетодСетью {theirs}" if theirs else "более новой версией программы"
    need = f"МетодСеть {theirs} или новее" if theirs else "новую версию МетодСети"
    return (f"База данных {db.describe()} обновлена {made_by} (схема {current}), а у вас МетодСеть {version()}: "
            f"она знает схемы до {head}. Установите {need}; открывать эту базу старой версией нельзя, "
            "чтобы не повредить данные. База не изменена.")


def _failed_upgrade_message(db: Database, current: str | None, head: str, backup_path: Path | None,
                            exc: Exception) -> str:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
    step = f"({current or 'новая база'} → {head})"
    failed = f"Не удалось обновить схему базы {db.describe()} {step}: {reason}."
    if current is None:
        return f"{failed} База не создана; сообщите об ошибке разработчикам."
    if not db.is_sqlite:
        kept = f" Копия перед обновлением: {backup_path}." if backup_path else ""
        return (f"{failed} Сервер отменил обновление целиком: база осталась в прежнем состоянии.{kept} "
                "Сообщите об ошибке разработчикам; до исправления работайте в прежней версии программы.")
    try:
        restore_database(db, backup_path)
    except Exception as again:  # noqa: BLE001 - the user must learn where their data is
        return (f"{failed} Вернуть базу из копии не удалось ({again}); ваши данные — в копии {backup_path}: "
                "восстановите её командой restore или через «Файл → Резервные копии».")
    return (f"{failed} База возвращена в прежнее состояние из копии {backup_path}; ничего не потеряно. "
            "Сообщите об ошибке разработчикам; до исправления работайте в прежней версии программы.")
