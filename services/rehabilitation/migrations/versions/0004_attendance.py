"""attendance: each day of daily rehabilitation (done / missed with a reason), the supervised sessions
missed, and the last behind-plan warning told

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _recorded() -> list:
    return [sa.Column('recorded_by', sa.String(length=120), nullable=True),
            sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['journey_id'], ['rehab_plans.journey_id']),
            sa.PrimaryKeyConstraint('id')]


def upgrade() -> None:
    op.create_table('missed_physio_sessions',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('journey_id', sa.String(length=36), nullable=False),
                    sa.Column('session_date', sa.Date(), nullable=False),
                    sa.Column('reason_code', sa.String(length=40), nullable=False),
                    *_recorded(),
                    sa.UniqueConstraint('journey_id', 'session_date'))
    op.create_index('ix_missed_physio_sessions_journey_id', 'missed_physio_sessions', ['journey_id'])
    op.create_table('rehab_days',
                    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
                    sa.Column('journey_id', sa.String(length=36), nullable=False),
                    sa.Column('day', sa.Date(), nullable=False),
                    sa.Column('status', sa.String(length=10), nullable=False),
                    sa.Column('reason_code', sa.String(length=40), nullable=True),
                    *_recorded(),
                    sa.UniqueConstraint('journey_id', 'day'))
    op.create_index('ix_rehab_days_journey_id', 'rehab_days', ['journey_id'])
    with op.batch_alter_table('rehab_plans') as batch_op:
        batch_op.add_column(sa.Column('announced_days_past_departure', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('rehab_plans') as batch_op:
        batch_op.drop_column('announced_days_past_departure')
    op.drop_index('ix_rehab_days_journey_id', table_name='rehab_days')
    op.drop_table('rehab_days')
    op.drop_index('ix_missed_physio_sessions_journey_id', table_name='missed_physio_sessions')
    op.drop_table('missed_physio_sessions')
