"""event series (recurring meetings) and files attached to events

Revision ID: 0006_event_series_and_files
Revises: 0008_materials_review
Create Date: 2026-11-23

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006_event_series_and_files"
down_revision: Union[str, Sequence[str], None] = "0008_materials_review"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("event") as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.String(length=36), nullable=True))
        batch_op.create_index("ix_event_series_id", ["series_id"])
    op.create_table(
        "event_file",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name="fk_event_file_event_id_event"),
        sa.PrimaryKeyConstraint("id", name="pk_event_file"),
    )
    with op.batch_alter_table("event_file") as batch_op:
        batch_op.create_index("ix_event_file_change_seq", ["change_seq"])
        batch_op.create_index("ix_event_file_event_id", ["event_id"])
        batch_op.create_index("ix_event_file_origin", ["origin"])
        batch_op.create_index("ix_event_file_sha256", ["sha256"])


def downgrade() -> None:
    op.drop_table("event_file")
    with op.batch_alter_table("event") as batch_op:
        batch_op.drop_index("ix_event_series_id")
        batch_op.drop_column("series_id")
