"""patient search: the name's trigram index kept up to date on every write, and journey ids found by
their first characters through an index

A GIN index collects new entries in a pending list that every search reads in full until a vacuum merges
it (10,000 enquiries filed since the last one made a search read 330 pages instead of a few): enquiries
are written a few times a day and searched all day, so each write updates the index itself. A journey id
prefix (`LIKE 'ab12%'`) cannot use the unique index under a non-C collation; one in pattern order can.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        if _gin(bind):
            op.execute("ALTER INDEX ix_enquiries_search_name SET (fastupdate = off)")
            op.execute("SELECT gin_clean_pending_list('ix_enquiries_search_name'::regclass)")
        op.execute("CREATE INDEX ix_enquiries_journey_id_prefix ON enquiries "
                   "(journey_id varchar_pattern_ops)")
    else:
        op.create_index('ix_enquiries_journey_id_prefix', 'enquiries', ['journey_id'], unique=False)


def _gin(bind) -> bool:
    """Whether 0006 could make the name's index a trigram one (pg_trgm was there)."""
    return bool(bind.execute(sa.text("SELECT 1 FROM pg_indexes WHERE indexname = 'ix_enquiries_search_name' "
                                     "AND indexdef LIKE '%USING gin%'")).first())


def downgrade() -> None:
    op.drop_index('ix_enquiries_journey_id_prefix', table_name='enquiries')
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql' and _gin(bind):
        op.execute("ALTER INDEX ix_enquiries_search_name RESET (fastupdate)")
