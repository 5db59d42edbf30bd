"""personal-data level of sync packages: the level in the package log, the СНИЛС hash, aggregates

Revision ID: 0015_personal_data_levels
Revises: 0012_accounts
Create Date: 2026-11-23
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0015_personal_data_levels"
down_revision: Union[str, Sequence[str], None] = "0012_accounts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("sync_package") as batch_op:
        batch_op.add_column(sa.Column("personal_data", sa.String(length=16), nullable=False,
                                      server_default="full"))
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.add_column(sa.Column("snils_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_teacher_snils_hash"), ["snils_hash"], unique=False)
    op.create_table(
        "sync_aggregate",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("municipality_code", sa.String(length=16), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("organization_name", sa.String(length=500), nullable=False),
        sa.Column("teachers", sa.Integer(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("due_soon", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("young", sa.Integer(), nullable=False),
        sa.Column("credits_by_year", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_aggregate")),
    )
    with op.batch_alter_table("sync_aggregate") as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_aggregate_municipality_code"), ["municipality_code"], unique=False)


def downgrade() -> None:
    op.drop_table("sync_aggregate")
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index(batch_op.f("ix_teacher_snils_hash"))
        batch_op.drop_column("snils_hash")
    with op.batch_alter_table("sync_package") as batch_op:
        batch_op.drop_column("personal_data")
