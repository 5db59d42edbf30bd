"""index on teacher.birth_date for duplicate checks

Revision ID: 0004_teacher_birth_date_index
Revises: 0003_teacher_list_indexes
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op

revision: str = "0004_teacher_birth_date_index"
down_revision: Union[str, Sequence[str], None] = "0003_teacher_list_indexes"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.create_index("ix_teacher_birth_date", ["birth_date"])


def downgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index("ix_teacher_birth_date")
