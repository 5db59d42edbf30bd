"""covering indexes for the teacher list and search

Revision ID: 0003_teacher_list_indexes
Revises: 0002_default_settings
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003_teacher_list_indexes"
down_revision: Union[str, Sequence[str], None] = "0002_default_settings"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index("ix_teacher_name")
        batch_op.create_index("ix_teacher_order", ["last_name", "first_name", "middle_name", "id", "deleted_at"])
        batch_op.create_index("ix_teacher_search", ["search_key", "deleted_at", "id"])


def downgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index("ix_teacher_search")
        batch_op.drop_index("ix_teacher_order")
        batch_op.create_index("ix_teacher_name", ["last_name", "first_name"])
