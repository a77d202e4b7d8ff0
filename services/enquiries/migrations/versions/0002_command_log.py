"""command log: the RPC commands carried out, by command id, with their replies (kernel table)

Revision ID: 0002
Revises: 0001
"""
from alembic import op

from shared.migrations import create_kernel_tables, drop_kernel_tables

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kernel_tables(op, ["commands"])


def downgrade() -> None:
    drop_kernel_tables(op, ["commands"])
