"""timers: facts scheduled for later, emitted by the timer relay once due (kernel table)

Revision ID: 0003
Revises: 0002
"""
from alembic import op

from shared.migrations import create_kernel_tables, drop_kernel_tables

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kernel_tables(op, ["timers"])


def downgrade() -> None:
    drop_kernel_tables(op, ["timers"])
