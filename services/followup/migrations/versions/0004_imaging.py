"""imaging: where each image is kept, a check-up's focus after a "watch", registered sending clinics

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("images", sa.Column("location", sa.String(220), nullable=True))
    op.add_column("checkups", sa.Column("focus_body_part", sa.String(60), nullable=True))
    op.add_column("checkups", sa.Column("focus_image_id", sa.String(36), nullable=True))
    op.create_table(
        "image_senders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("institution", sa.String(120), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("registered_by", sa.String(120), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("image_senders")
    with op.batch_alter_table("checkups") as batch:
        batch.drop_column("focus_image_id")
        batch.drop_column("focus_body_part")
    with op.batch_alter_table("images") as batch:
        batch.drop_column("location")
