"""board stalls: surgery scheduling blocked, a travel desk task open (rebuild the projection to judge
journeys from before: python -m ops rebuild-projections)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheduling_blocked_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('desk_task_open_since', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.drop_column('desk_task_open_since')
        batch_op.drop_column('scheduling_blocked_since')
