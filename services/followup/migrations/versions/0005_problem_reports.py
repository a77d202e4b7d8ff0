"""problem reports: what a patient reports from home, escalated like an assessment's concern

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
    op.create_table(
        "problem_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("journey_id", sa.String(36), nullable=False),
        sa.Column("problem", sa.String(30), nullable=False),
        sa.Column("symptoms", sa.String(200), nullable=False),
        sa.Column("pain_score", sa.Integer(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("advice", sa.String(30), nullable=False),
        sa.Column("reported_by", sa.String(120), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_problem_reports_journey_id", "problem_reports", ["journey_id"])
    # SQLite alters a column by copying the table: batch mode does that.
    with op.batch_alter_table("escalations") as batch:
        batch.alter_column("assessment_id", existing_type=sa.String(36), nullable=True)
        batch.add_column(sa.Column("report_id", sa.String(36), nullable=True))
        batch.create_foreign_key("fk_escalations_report_id", "problem_reports", ["report_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("escalations") as batch:
        batch.drop_constraint("fk_escalations_report_id", type_="foreignkey")
        batch.drop_column("report_id")
        batch.alter_column("assessment_id", existing_type=sa.String(36), nullable=False)
    op.drop_index("ix_problem_reports_journey_id", "problem_reports")
    op.drop_table("problem_reports")
