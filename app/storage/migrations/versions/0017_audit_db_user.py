"""audit_log.db_user: the database role an action was written through, beside the application account

Revision ID: 0017_audit_db_user
Revises: 0016_postgres_search_indexes
Create Date: 2026-12-07
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0017_audit_db_user"
down_revision: Union[str, Sequence[str], None] = "0016_postgres_search_indexes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("db_user", sa.String(length=63), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("db_user")
