"""one operation record per side operated; the patient in the country; the balance and disputes

The single per-journey operation record becomes the first row of `operated_sides` (the same
columns, keyed by id, one row per journey and side), so every implant recorded so far is kept.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
RECORD_COLUMNS = ('journey_id', 'surgery_id', 'performed_on', 'side', 'implant_type', 'implant_size',
                  'implant_lot', 'implant_serial', 'complications', 'complication_note', 'actor',
                  'recorded_at')


def _record_columns() -> list[sa.Column]:
    return [sa.Column('journey_id', sa.String(length=36), nullable=False),
            sa.Column('surgery_id', sa.String(length=36), nullable=False),
            sa.Column('performed_on', sa.Date(), nullable=False),
            sa.Column('side', sa.String(length=10), nullable=False),
            sa.Column('implant_type', sa.String(length=100), nullable=False),
            sa.Column('implant_size', sa.String(length=50), nullable=False),
            sa.Column('implant_lot', sa.String(length=100), nullable=False),
            sa.Column('implant_serial', sa.String(length=100), nullable=True),
            sa.Column('complications', sa.String(length=300), nullable=False),
            sa.Column('complication_note', sa.Text(), nullable=True),
            sa.Column('actor', sa.String(length=120), nullable=True),
            sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    op.create_table('operated_sides',
                    sa.Column('id', BIG_ID, autoincrement=True, nullable=False),
                    *_record_columns(),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('journey_id', 'side'))
    with op.batch_alter_table('operated_sides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operated_sides_journey_id'), ['journey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_operated_sides_implant_lot'), ['implant_lot'], unique=False)
    columns = ', '.join(RECORD_COLUMNS)
    op.execute(f'INSERT INTO operated_sides ({columns}) SELECT {columns} FROM operation_records')
    with op.batch_alter_table('operation_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operation_records_implant_lot'))
    op.drop_table('operation_records')

    op.create_table('payment_disputes',
                    sa.Column('dispute_id', sa.String(length=100), nullable=False),
                    sa.Column('journey_id', sa.String(length=36), nullable=False),
                    sa.Column('invoice_id', sa.String(length=100), nullable=True),
                    sa.Column('amount_cents', sa.Integer(), nullable=True),
                    sa.Column('evidence_due_by', sa.DateTime(timezone=True), nullable=True),
                    sa.Column('outcome', sa.String(length=10), nullable=True),
                    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('dispute_id'))
    with op.batch_alter_table('payment_disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_disputes_journey_id'), ['journey_id'], unique=False)

    with op.batch_alter_table('surgery_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amputation_side', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('in_country_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('balance_paid', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('balance_cents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('balance_due', sa.Date(), nullable=True))


def downgrade() -> None:
    """Back to one record per journey: a second side recorded since is dropped (its lot stays in
    the surgery_performed event)."""
    with op.batch_alter_table('surgery_cases', schema=None) as batch_op:
        for column in ('balance_due', 'balance_cents', 'balance_paid', 'in_country_since', 'amputation_side'):
            batch_op.drop_column(column)
    with op.batch_alter_table('payment_disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_disputes_journey_id'))
    op.drop_table('payment_disputes')
    op.create_table('operation_records', *_record_columns(), sa.PrimaryKeyConstraint('journey_id'))
    with op.batch_alter_table('operation_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operation_records_implant_lot'), ['implant_lot'], unique=False)
    columns = ', '.join(RECORD_COLUMNS)
    op.execute(f'INSERT INTO operation_records ({columns}) SELECT {columns} FROM operated_sides '
               f'WHERE id IN (SELECT MIN(id) FROM operated_sides GROUP BY journey_id)')
    with op.batch_alter_table('operated_sides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operated_sides_implant_lot'))
        batch_op.drop_index(batch_op.f('ix_operated_sides_journey_id'))
    op.drop_table('operated_sides')
