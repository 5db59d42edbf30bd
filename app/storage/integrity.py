"""Is the database whole? The engine's own checks: SQLite's PRAGMAs, PostgreSQL's catalog and a full read.

SQLite: ``PRAGMA integrity_check`` and ``foreign_key_check``. PostgreSQL keeps
foreign keys itself, so the check lists constraints it does not enforce
(``NOT VALID``) and reads every table through, which fails on a damaged page.
"""
from __future__ import annotations

from sqlalchemy import inspect, text

from app.storage.database import Database


def integrity_problems(db: Database) -> list[str]:
    """["ok"] when the database is whole, else what the engine found."""
    if db.is_sqlite:
        with db.engine.connect() as conn:
            found = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            conn.rollback()
        return found
    problems = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            try:
                with conn.begin_nested():
                    conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
            except Exception as exc:  # noqa: BLE001 - whatever the server reports is the finding
                problems.append(f"таблица {table}: {str(exc).splitlines()[0]}")
        conn.rollback()
    return problems or ["ok"]


def foreign_key_problems(db: Database) -> list[str]:
    if db.is_sqlite:
        with db.engine.connect() as conn:
            found = [f"таблица {r[0]}, строка {r[1]} → {r[2]}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            conn.rollback()
        return found
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND NOT convalidated AND connamespace = 'public'::regnamespace")).all()
        conn.rollback()
    return [f"таблица {table}: ограничение {name} не проверено (NOT VALID)" for table, name in rows]
