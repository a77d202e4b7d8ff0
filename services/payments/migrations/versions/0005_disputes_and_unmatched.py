"""disputes: their status, evidence deadline and closing; money lost to disputes; unmatched events handled

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('evidence_due_by', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_disputes_status'), ['status'], unique=False)

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispute_lost_cents', sa.BigInteger(), nullable=False, server_default='0'))

    with op.batch_alter_table('provider_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('handled_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('handled_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('provider_events', schema=None) as batch_op:
        batch_op.drop_column('handled_note')
        batch_op.drop_column('handled_by')
        batch_op.drop_column('handled_at')

    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('dispute_lost_cents')

    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_status'))
        batch_op.drop_column('closed_at')
        batch_op.drop_column('evidence_due_by')
        batch_op.drop_column('status')
