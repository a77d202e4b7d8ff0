"""access log detail: what a search looked for, or how a record was shown (NEN 7513)

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
    with op.batch_alter_table('access_log') as batch:
        batch.add_column(sa.Column('detail', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('access_log') as batch:
        batch.drop_column('detail')
