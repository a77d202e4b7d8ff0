from services.enquiries.models import Base
from shared.testing.migrations import schema_drift


def test_the_enquiries_migrations_match_its_models(db_url):
    assert schema_drift("enquiries", Base.metadata, db_url) == []
