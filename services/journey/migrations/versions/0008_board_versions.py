"""board versions: each journey row is stamped with the projection's version when written, so a kept
board re-judges only what changed

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_journeys_version'), ['version'], unique=False)
    version = op.create_table(
        'projection_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.bulk_insert(version, [{'id': 1, 'version': 0, 'generation': 0}])


def downgrade() -> None:
    op.drop_table('projection_version')
    with op.batch_alter_table('journeys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journeys_version'))
        batch_op.drop_column('version')
