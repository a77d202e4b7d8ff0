"""revocable tokens, patient links, sign-in throttling

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_users') as batch:
        batch.add_column(sa.Column('token_version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('access_log') as batch:
        batch.add_column(sa.Column('credential', sa.String(length=60), nullable=True))
    op.create_table(
        'patient_links',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('journey_id', sa.String(length=36), nullable=False),
        sa.Column('scope', sa.String(length=40), nullable=False),
        sa.Column('issued_by', sa.String(length=120), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_by', sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_patient_links_journey_id'), 'patient_links', ['journey_id'], unique=False)
    op.create_table(
        'sign_in_failures',
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('username'))


def downgrade() -> None:
    op.drop_table('sign_in_failures')
    op.drop_index(op.f('ix_patient_links_journey_id'), table_name='patient_links')
    op.drop_table('patient_links')
    with op.batch_alter_table('access_log') as batch:
        batch.drop_column('credential')
    with op.batch_alter_table('staff_users') as batch:
        batch.drop_column('token_version')
