"""second opinion waits: since when it waits for an appointment, when it is booked for, when it was held

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_opinion_waiting_since', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('second_opinion_booked_for', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('second_opinion_held_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.drop_column('second_opinion_held_at')
        batch_op.drop_column('second_opinion_booked_for')
        batch_op.drop_column('second_opinion_waiting_since')
