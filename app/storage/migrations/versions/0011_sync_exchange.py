"""exchange with the region: trust store, package log, teacher identities

Revision ID: 0011_sync_exchange
Revises: 0014_teacher_pd_reported
Create Date: 2026-11-23

Every synchronised table already has an index on change_seq (the Synced
mixin), which is what the delta query uses; no index is added here.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0011_sync_exchange"
down_revision: Union[str, Sequence[str], None] = "0014_teacher_pd_reported"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "sync_partner",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("installation_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("municipality_code", sa.String(length=16), nullable=False),
        sa.Column("sign_key", sa.String(length=64), nullable=False),
        sa.Column("encrypt_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("trusted_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_partner")),
    )
    with op.batch_alter_table("sync_partner") as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_partner_installation_id"), ["installation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_partner_fingerprint"), ["fingerprint"], unique=False)

    op.create_table(
        "sync_package",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.String(length=36), nullable=False),
        sa.Column("partner_code", sa.String(length=16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("since_change_seq", sa.Integer(), nullable=False),
        sa.Column("upto_change_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_package")),
    )
    with op.batch_alter_table("sync_package") as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_package_package_id"), ["package_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_package_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_package_sha256"), ["sha256"], unique=False)

    op.create_table(
        "sync_identity",
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("teacher_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_sync_identity")),
    )
    with op.batch_alter_table("sync_identity") as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_identity_teacher_id"), ["teacher_id"], unique=False)


def downgrade() -> None:
    op.drop_table("sync_identity")
    op.drop_table("sync_package")
    op.drop_table("sync_partner")
