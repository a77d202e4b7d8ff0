from services.journey.models import Base
from shared.testing.migrations import schema_drift


def test_the_journey_migrations_match_its_models(db_url):
    assert schema_drift("journey", Base.metadata, db_url) == []
