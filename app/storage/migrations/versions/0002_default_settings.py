"""default settings and counters

Revision ID: 0002_default_settings
Revises: 0001_initial
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0002_default_settings"
down_revision: Union[str, Sequence[str], None] = "0001_initial"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

DEFAULTS = {
    "hours_per_credit": "36",
    "pd_warn_months": "6",
}


def upgrade() -> None:
    meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    counter = sa.table("counter", sa.column("name", sa.String), sa.column("value", sa.Integer))
    conn = op.get_bind()
    present = {row[0] for row in conn.execute(sa.select(meta.c.key))}
    op.bulk_insert(meta, [{"key": k, "value": v} for k, v in DEFAULTS.items() if k not in present])
    if conn.execute(sa.select(counter.c.name).where(counter.c.name == "change_seq")).first() is None:
        op.bulk_insert(counter, [{"name": "change_seq", "value": 0}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM app_meta WHERE key IN ('hours_per_credit', 'pd_warn_months')"))
