"""the public rate limits' counts in the database, shared by every gateway instance

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rate_limits',
        sa.Column('bucket', sa.String(length=60), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('full_at', sa.Float(precision=53), nullable=False),
        sa.PrimaryKeyConstraint('bucket', 'client'))
    op.create_index(op.f('ix_rate_limits_full_at'), 'rate_limits', ['full_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_rate_limits_full_at'), table_name='rate_limits')
    op.drop_table('rate_limits')
