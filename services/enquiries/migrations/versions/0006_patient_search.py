"""patient search: a normalised name and email to find people by, indexed (a trigram index on PostgreSQL)

Revision ID: 0006
Revises: 0005
"""
import logging

import sqlalchemy as sa
from alembic import op

from services.enquiries.domain.search import search_text

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
TRIGRAMS = "CREATE INDEX ix_enquiries_search_name ON enquiries USING gin (search_name gin_trgm_ops)"


def upgrade() -> None:
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=600), nullable=True))
        batch_op.add_column(sa.Column('search_email', sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_enquiries_search_email'), ['search_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_enquiries_date_of_birth'), ['date_of_birth'], unique=False)
    _fill()
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql' and _trigrams(bind):
        op.execute(TRIGRAMS)
    else:   # SQLite (a scan of its one file is quick), or a PostgreSQL without pg_trgm
        op.create_index('ix_enquiries_search_name', 'enquiries', ['search_name'], unique=False)


def _fill() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, email, passport_given_names, passport_surname "
                                "FROM enquiries WHERE erased_at IS NULL")).all()
    for row in rows:
        bind.execute(sa.text("UPDATE enquiries SET search_name = :n, search_email = :e WHERE id = :id"),
                     {"n": search_text(row.name, row.passport_given_names, row.passport_surname),
                      "e": row.email.lower() if row.email else None, "id": row.id})


def _trigrams(bind) -> bool:
    """pg_trgm, created if it is available and we may (a trusted extension since PostgreSQL 13)."""
    if bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        return True
    if not bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first():
        log.warning("pg_trgm is not installed: names are searched without a trigram index")
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError:
        log.warning("pg_trgm could not be created: names are searched without a trigram index")
        return False


def downgrade() -> None:
    op.drop_index('ix_enquiries_search_name', table_name='enquiries')
    with op.batch_alter_table('enquiries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enquiries_date_of_birth'))
        batch_op.drop_index(batch_op.f('ix_enquiries_search_email'))
        batch_op.drop_column('search_email')
        batch_op.drop_column('search_name')
