"""teacher.pd_reported_on: the last PD date by the documents, kept apart from the routes

Until now a date typed or imported into last_pd_on was overwritten by the
routes' date on the next route write. Existing dates become the reported ones,
so no teacher's three-year clock moves.

Revision ID: 0014_teacher_pd_reported
Revises: 0006_event_series_and_files
Create Date: 2026-11-23

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0014_teacher_pd_reported"
down_revision: Union[str, Sequence[str], None] = "0006_event_series_and_files"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.add_column(sa.Column("pd_reported_on", sa.Date(), nullable=True))
    op.execute("UPDATE teacher SET pd_reported_on = last_pd_on")


def downgrade() -> None:
    with op.batch_alter_table("teacher") as batch_op:
        batch_op.drop_column("pd_reported_on")
