"""Alembic environment: runs on the application's own connection.

On SQLite, foreign keys are switched off *outside* the transaction (inside
one the pragma is a no-op) so that batch-mode table rebuilds cannot fire
ON DELETE CASCADE; ``foreign_key_check`` runs before they are switched back.
"""
from __future__ import annotations

from alembic import context

from app.storage.base import Base
import app.storage.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                # Raising here rolls the whole upgrade back.
                raise RuntimeError(f"foreign key violations after migration: {broken[:5]}")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
