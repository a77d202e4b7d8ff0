"""conversations: the thread of messages between the patient and the care team, with attachments

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
    op.create_table(
        "care_messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("journey_id", sa.String(36), nullable=False, index=True),
        sa.Column("author", sa.String(10), nullable=False),
        sa.Column("addressed_role", sa.String(40), nullable=True),
        sa.Column("author_role", sa.String(40), nullable=True),
        sa.Column("posted_by", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True, index=True),
        sa.Column("read_by", sa.String(120), nullable=True),
    )
    op.create_table(
        "care_attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("message_id", sa.String(36), sa.ForeignKey("care_messages.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("journey_id", sa.String(36), nullable=False, index=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("care_attachments")
    op.drop_table("care_messages")
