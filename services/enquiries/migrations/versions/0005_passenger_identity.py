"""passenger identity: the name as on the passport and the nationality, for the travel agency

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
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passport_given_names', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('passport_surname', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('nationality', sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_column('nationality')
        batch_op.drop_column('passport_surname')
        batch_op.drop_column('passport_given_names')
