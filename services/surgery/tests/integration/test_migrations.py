"""Surgery's migrations: the same schema as its models, and no implant record lost on the way."""
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import column, insert, select, table

from services.surgery import models
from services.surgery.models import Base, OperatedSide, SurgeryCase
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.migrations import schema_drift


def test_the_surgery_migrations_match_its_models(db_url):
    assert schema_drift("surgery", Base.metadata, db_url) == []


def test_an_implant_recorded_before_one_record_per_side_is_kept_as_that_side_s_record(db_url):
    upgrade("surgery", db_url, "0003")
    journey, now = str(uuid.uuid4()), datetime(2027, 3, 24, 9, tzinfo=UTC)
    record = {"journey_id": journey, "surgery_id": "S-1", "performed_on": date(2027, 3, 24),
              "side": "left", "implant_type": "OPRA", "implant_size": "16mm", "implant_lot": "LOT-OLD",
              "implant_serial": "SN-1", "complications": "", "complication_note": None,
              "actor": "staff:surgeon", "recorded_at": now}
    case = {"journey_id": journey, "status": "in_ward", "accepted": True, "deposit_paid": True,
            "updated_at": now}
    store = Store(db_url, models.kernel)
    try:
        with store.session() as session:
            session.execute(insert(table("operation_records", *map(column, record))).values(record))
            session.execute(insert(table("surgery_cases", *map(column, case))).values(case))
            session.commit()
        upgrade("surgery", db_url)
        with store.session() as session:
            [kept] = session.scalars(select(OperatedSide)).all()
            assert (kept.journey_id, kept.side, kept.implant_lot, kept.implant_serial) == (
                journey, "left", "LOT-OLD", "SN-1")
            migrated = session.get(SurgeryCase, journey)
            assert migrated.balance_paid is False and migrated.in_country_since is None
    finally:
        store.dispose()
