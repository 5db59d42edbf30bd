"""PostgreSQL numbers changes from a sequence, so that writers no longer queue on the counter row

See app/storage/numbering.py. SQLite keeps the counter row (one writer at a time).

Revision ID: 0018_postgres_change_sequence
Revises: 0017_audit_db_user
Create Date: 2026-12-07
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0018_postgres_change_sequence"
down_revision: Union[str, Sequence[str], None] = "0017_audit_db_user"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SEQUENCE = "change_seq_numbers"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE SEQUENCE {SEQUENCE} AS integer MINVALUE 0 START 1")
    # Numbering goes on from the counter the rows were numbered with so far.
    op.execute(f"SELECT setval('{SEQUENCE}', GREATEST(value, 1), value > 0) FROM counter WHERE name = 'change_seq'")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"UPDATE counter SET value = (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
               f"FROM {SEQUENCE}) WHERE name = 'change_seq'")
    op.execute(f"DROP SEQUENCE {SEQUENCE}")
