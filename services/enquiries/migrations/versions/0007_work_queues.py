"""work queues: pre-screen outcomes found by when they were decided (My work's outcomes to review)

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('prescreens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prescreens_decided_at'), ['decided_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('prescreens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prescreens_decided_at'))
