"""access log: append-only and hash-chained (NEN 7513: a complete, protected log)

Each entry gets its link in a hash chain (existing entries are chained in id order), a one-row chain
head, and the personal detail's salted digest; a trigger then refuses every UPDATE, DELETE or TRUNCATE
of the log except blanking an entry's detail and nonce (an erasure). Services connect as a superuser,
who is not bound by grants: the trigger is what holds for the app; the grants taken from PUBLIC hold
for any other role (README, "The access log").

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from services.gateway.domain.audit_chain import CHAINED, GENESIS, chain, seal_detail

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

REFUSE_PG = """
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.detail IS NULL AND NEW.detail_nonce IS NULL
     AND (to_jsonb(NEW) - 'detail' - 'detail_nonce') = (to_jsonb(OLD) - 'detail' - 'detail_nonce') THEN
    RETURN NEW;   -- an erasure blanks the personal detail; the chain covers only its digest
  END IF;
  RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM PUBLIC;
"""

UNCHANGED = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in (*CHAINED, "prev_hash", "hash"))
REFUSE_SQLITE = [
    f"""CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
        WHEN NOT (NEW.detail IS NULL AND NEW.detail_nonce IS NULL AND {UNCHANGED})
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only: DELETE refused'); END""",
]


def upgrade() -> None:
    with op.batch_alter_table('access_log') as batch:
        batch.add_column(sa.Column('detail_nonce', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('detail_digest', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    head = op.create_table(
        'access_log_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    last_id, last_hash = _chain_existing()
    op.bulk_insert(head, [{"id": 1, "last_id": last_id, "last_hash": last_hash}])
    with op.batch_alter_table('access_log') as batch:
        batch.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(REFUSE_PG)
    else:
        for statement in REFUSE_SQLITE:
            op.execute(statement)


def _chain_existing() -> tuple[int, str]:
    """Chains the entries already there, in id order, numbered 1..n so that a gap means an entry
    missing (a rolled-back insert may have left gaps in the old sequence; nothing refers to these ids)."""
    bind = op.get_bind()
    table = sa.table('access_log', sa.column('at', sa.DateTime(timezone=True)), *[sa.column(name) for name in (
        *CHAINED, "detail", "detail_nonce", "prev_hash", "hash") if name != "at"])
    last_id, last_hash = 0, GENESIS
    for row in [dict(r._mapping) for r in bind.execute(sa.select(table).order_by(table.c.id))]:
        old_id = row["id"]
        row["detail_nonce"], row["detail_digest"] = seal_detail(row["detail"])
        last_id, last_hash = chain([row], last_id, last_hash)   # ascending: the new id is always free
        bind.execute(table.update().where(table.c.id == old_id).values(
            {k: row[k] for k in ("id", "detail_nonce", "detail_digest", "prev_hash", "hash")}))
    return last_id, last_hash


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_log_no_truncate ON access_log")
        op.execute("DROP TRIGGER access_log_append_only ON access_log")
        op.execute("DROP FUNCTION access_log_append_only()")
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON access_log TO PUBLIC")
    else:
        op.execute("DROP TRIGGER access_log_no_update")
        op.execute("DROP TRIGGER access_log_no_delete")
    op.drop_table('access_log_head')
    with op.batch_alter_table('access_log') as batch:
        for name in ('hash', 'prev_hash', 'detail_digest', 'detail_nonce'):
            batch.drop_column(name)
