"""certificate register

Revision ID: 0007_certificate_register
Revises: 0013_teacher_search_covering
Create Date: 2026-11-23

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007_certificate_register'
down_revision: Union[str, Sequence[str], None] = "0013_teacher_search_covering"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """The certificate register: a synced table, one row per issued certificate."""
    op.create_table('certificate',
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('verification_code', sa.String(length=16), nullable=False),
    sa.Column('participation_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('teacher_id', sa.String(length=36), nullable=True),
    sa.Column('organization_id', sa.String(length=36), nullable=True),
    sa.Column('recipient_name', sa.String(length=500), nullable=False),
    sa.Column('organization_name', sa.String(length=500), nullable=False),
    sa.Column('event_title', sa.String(length=500), nullable=False),
    sa.Column('event_kind', sa.String(length=100), nullable=False),
    sa.Column('event_starts_on', sa.Date(), nullable=False),
    sa.Column('event_ends_on', sa.Date(), nullable=True),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('organizer', sa.String(length=1000), nullable=False),
    sa.Column('signer_name', sa.String(length=255), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=128), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.String(length=128), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_key', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_event_id_event')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_certificate_organization_id_organization')),
    sa.ForeignKeyConstraint(['participation_id'], ['participation.id'], name=op.f('fk_certificate_participation_id_participation')),
    sa.ForeignKeyConstraint(['teacher_id'], ['teacher.id'], name=op.f('fk_certificate_teacher_id_teacher')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_certificate_verification_code'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_participation_id'), ['participation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_teacher_id'), ['teacher_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_participation_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_origin'))
        batch_op.drop_index(batch_op.f('ix_certificate_event_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_change_seq'))

    op.drop_table('certificate')
