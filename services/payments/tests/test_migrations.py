from services.payments.models import Base
from shared.testing.migrations import schema_drift


def test_the_payments_migrations_match_its_models(db_url):
    assert schema_drift("payments", Base.metadata, db_url) == []
