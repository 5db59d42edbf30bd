"""the teacher search index also covers organization_id

A search matches a teacher by their own key or by their organisation's; with
organization_id in the index both tests run on the index alone.

Revision ID: 0013_teacher_search_covering
Revises: 0004_teacher_birth_date_index
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op

revision: str = "0013_teacher_search_covering"
down_revision: Union[str, Sequence[str], None] = "0004_teacher_birth_date_index"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index("ix_teacher_search")
        batch_op.create_index("ix_teacher_search", ["search_key", "deleted_at", "id", "organization_id"])


def downgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_index("ix_teacher_search")
        batch_op.create_index("ix_teacher_search", ["search_key", "deleted_at", "id"])
