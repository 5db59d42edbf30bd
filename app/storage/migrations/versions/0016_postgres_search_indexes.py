"""PostgreSQL: trigram indexes over the folded search text (pg_trgm), so «contains» search uses an index

SQLite searches the same ``search_key`` column with instr() over a covering
index; nothing changes there. On PostgreSQL ``search_key LIKE '%слово%'`` is
answered from a GIN index of trigrams. pg_trgm is a trusted extension: the
database's owner may create it, no superuser needed.

Revision ID: 0016_postgres_search_indexes
Revises: 0015_personal_data_levels
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0016_postgres_search_indexes"
down_revision: Union[str, Sequence[str], None] = "0015_personal_data_levels"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PREFIX = "ix_trgm_"


def _searchable_tables() -> list[str]:
    bind = op.get_bind()
    return sorted(t for t in sa.inspect(bind).get_table_names()
                  if any(c["name"] == "search_key" for c in sa.inspect(bind).get_columns(t)))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in _searchable_tables():
        op.execute(f'CREATE INDEX IF NOT EXISTS {PREFIX}{table} ON "{table}" USING gin (search_key gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _searchable_tables():
        op.execute(f"DROP INDEX IF EXISTS {PREFIX}{table}")
