"""An instant stored on SQLite (the embedded default) reads back as the same instant, as on
PostgreSQL: whatever offset it was sent with, in a table's column or a query's parameter."""
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, bindparam, insert, select, text

from shared.clock import aware
from shared.db import make_engine

AMSTERDAM_WINTER = timezone(timedelta(hours=1))
metadata = MetaData()
appointments = Table("appointments", metadata, Column("id", Integer, primary_key=True),
                     Column("scheduled_at", DateTime(timezone=True), nullable=False))


def test_an_instant_sent_with_an_offset_is_read_back_as_the_same_instant(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'instants.db'}")
    metadata.create_all(engine)
    sent = datetime(2026, 12, 2, 10, 0, tzinfo=AMSTERDAM_WINTER)
    with engine.begin() as conn:
        conn.execute(insert(appointments).values(id=1, scheduled_at=sent))
        stored = aware(conn.scalar(select(appointments.c.scheduled_at)))
    assert stored == sent and stored.astimezone(UTC).hour == 9


def test_comparisons_and_plain_sql_parameters_use_the_same_utc_digits(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'instants.db'}")
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(appointments).values(id=1, scheduled_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC)))
        later = datetime(2026, 12, 2, 10, 15, tzinfo=AMSTERDAM_WINTER)      # 09:15 UTC: before it
        assert conn.scalar(select(appointments.c.id).where(appointments.c.scheduled_at > later)) == 1
        plain = text("SELECT count(*) FROM appointments WHERE scheduled_at < :at").bindparams(
            bindparam("at", type_=DateTime(timezone=True)))
        assert conn.scalar(plain, {"at": later}) == 0
