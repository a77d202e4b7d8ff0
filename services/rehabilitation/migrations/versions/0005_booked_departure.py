"""booked departure: when travel last confirmed the flight home (an older confirmation arriving late
does not move it back)

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rehab_plans') as batch_op:
        batch_op.add_column(sa.Column('departure_fact_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rehab_plans') as batch_op:
        batch_op.drop_column('departure_fact_at')
