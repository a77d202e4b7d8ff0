"""consent records: each consent with its text version, language, form, and its withdrawal

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'consents',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('enquiry_id', sa.String(length=36), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('text_version', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_via', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['enquiry_id'], ['enquiries.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('enquiry_id', 'purpose'))
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_enquiry_id'), ['enquiry_id'], unique=False)
    # Consents given before they were records: the text's version was not kept.
    for purpose in ('privacy', 'health_data', 'marketing'):
        op.execute(
            "INSERT INTO consents (enquiry_id, purpose, text_version, language, channel, given_at) "
            f"SELECT id, '{purpose}', 'unrecorded', preferred_language, 'web_form', received_at "
            f"FROM enquiries WHERE {purpose}_consent AND erased_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_enquiry_id'))
    op.drop_table('consents')
