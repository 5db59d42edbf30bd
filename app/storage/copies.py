"""Backups and restores for either engine: SQLite's backup API (backup.py) or pg_dump/pg_restore (pg_backup.py).

The services ask for a copy or a restore; which tools make it is decided here.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import MetaData, Table, delete, insert, inspect, select

from app.storage import backup, pg_backup
from app.storage.database import Database

SQLITE_SUFFIX, POSTGRES_SUFFIX = ".sqlite", ".dump"


def copy_suffix(db: Database) -> str:
    """The file name ending of this database's copies."""
    return SQLITE_SUFFIX if db.is_sqlite else POSTGRES_SUFFIX


def backup_to(db: Database, dest: Path) -> Path:
    if db.is_sqlite:
        return backup.backup_to(db, Path(dest))
    return pg_backup.dump(db.url, Path(dest))


def backup_into(db: Database, folder: Path, reason: str) -> Path:
    """A dated copy in ``folder`` (``<name>-<timestamp>-<reason>.sqlite`` or ``.dump``)."""
    if db.is_sqlite:
        return backup.backup_database(db, Path(folder), reason)
    from datetime import datetime

    from sqlalchemy.engine import make_url

    Path(folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return pg_backup.dump(db.url, Path(folder) / f"{make_url(db.url).database}-{stamp}-{reason}{POSTGRES_SUFFIX}")


def rows_in_copy(db: Database, source: Path, table: str) -> int | None:
    """How many rows ``table`` holds in a copy (None when it cannot be told without restoring it)."""
    if db.is_sqlite:
        return backup.count_rows(Path(source), table) or 0
    return pg_backup.count_rows(Path(source), table)


def check_copy(db: Database, source: Path) -> None:
    if db.is_sqlite:
        backup.check_backup_file(Path(source))
    elif not Path(source).is_file():
        raise backup.BackupError(f"Файл резервной копии «{source}» не найден.")


def restore_from(db: Database, source: Path, keep_tables: tuple[str, ...] = ()) -> None:
    """Replaces the database with the copy; ``keep_tables`` keep their current rows (backup.restore_database)."""
    if db.is_sqlite:
        backup.restore_database(db, Path(source), keep_tables)
        return
    kept = _read_tables(db, keep_tables)
    db.dispose()
    pg_backup.restore(db.url, Path(source))
    _write_tables(db, kept)
    db.forget_settings()


def _read_tables(db: Database, tables: tuple[str, ...]) -> dict[str, list[dict]]:
    with db.engine.connect() as conn:
        meta = MetaData()
        out = {}
        for name in tables:
            if inspect(conn).has_table(name):
                table = Table(name, meta, autoload_with=conn)
                out[name] = [dict(r) for r in conn.execute(select(table)).mappings()]
        conn.rollback()
    return out


def _write_tables(db: Database, kept: dict[str, list[dict]]) -> None:
    """Puts the kept rows back, with the columns the restored schema has (it may be older)."""
    with db.engine.begin() as conn:
        meta = MetaData()
        for name, rows in kept.items():
            if not inspect(conn).has_table(name):
                continue
            table = Table(name, meta, autoload_with=conn)
            conn.execute(delete(table))
            columns = set(table.c.keys())
            rows = [{k: v for k, v in r.items() if k in columns} for r in rows]
            # A kept row pointing at a record the copy lacks loses that reference (as on SQLite).
            for fk in table.foreign_keys:
                present = set(conn.scalars(select(fk.column)))
                for r in rows:
                    if r.get(fk.parent.name) is not None and r[fk.parent.name] not in present:
                        r[fk.parent.name] = None
            if rows:
                conn.execute(insert(table), rows)
