"""Schema migrations with Alembic, run on start after an automatic backup.

The scripts ship inside the package (``script_location`` is set here, not in
an ini file) so that an installed or frozen build finds them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from app.storage.backup import backup_database
from app.storage.database import Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions. Known without importing Alembic,
# which costs a tenth of a second on every start; a test keeps it in step.
HEAD_REVISION = "0018_postgres_change_sequence"


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
    """Brings the schema to the head revision; backs the file up first if it holds data."""
    current = current_revision(db)
    head = head_revision()
    if current == head:
        return MigrationResult(current, head, None)
    if current is not None and current not in known_revisions():
        raise SchemaError(
            f"База данных создана более новой версией программы (схема {current}). "
            "Обновите МетодСеть; открывать эту базу старой версией нельзя, чтобы не повредить данные."
        )
    if current is None and inspect(db.engine).get_table_names():
        raise SchemaError(
            f"Файл {db.describe()} не является базой данных МетодСети: в нём есть чужие таблицы."
        )
    backup_path = None
    if current is not None and db.path is not None:
        target_dir = backup_dir or db.path.parent / "backups"
        backup_path = backup_database(db, target_dir, reason=f"before-upgrade-{current}")
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
            conn.commit()
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
    return MigrationResult(current, head, backup_path)
