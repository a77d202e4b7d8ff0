"""checkup move requests: a patient asks to move a check-up; the follow-up staff see it

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkup_move_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("journey_id", sa.String(36), nullable=False, index=True),
        sa.Column("checkup_id", sa.String(36), sa.ForeignKey("checkups.id"), nullable=False, unique=True),
        sa.Column("reason", sa.String(30), nullable=False),
        sa.Column("preferred", sa.String(200), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkup_move_requests")
