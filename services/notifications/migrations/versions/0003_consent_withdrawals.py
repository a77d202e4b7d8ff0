"""consent withdrawals: a journey whose consent was withdrawn is sent nothing more (or no marketing)

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processing_stopped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('marketing_mail', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_column('marketing_mail')
        batch_op.drop_column('processing_stopped_at')
