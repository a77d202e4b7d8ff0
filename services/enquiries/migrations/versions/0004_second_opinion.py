"""second opinion: appointments at the partner clinic, the closing outcome, the suitability journey it opened

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('second_opinion_appointments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('enquiry_id', sa.String(length=36), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('booked_by', sa.String(length=120), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('second_opinion_appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_second_opinion_appointments_enquiry_id'), ['enquiry_id'], unique=False)

    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('second_opinion_outcome', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('second_opinion_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('concluded_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('suitability_journey_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('opened_from_journey_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_enquiries_opened_from_journey_id'), ['opened_from_journey_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiries_opened_from_journey_id'))
        batch_op.drop_column('opened_from_journey_id')
        batch_op.drop_column('suitability_journey_id')
        batch_op.drop_column('concluded_at')
        batch_op.drop_column('concluded_by')
        batch_op.drop_column('second_opinion_note')
        batch_op.drop_column('second_opinion_outcome')

    with op.batch_alter_table('second_opinion_appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_second_opinion_appointments_enquiry_id'))

    op.drop_table('second_opinion_appointments')
