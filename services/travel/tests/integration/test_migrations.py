from services.travel.models import Base
from shared.testing.migrations import schema_drift


def test_the_travel_migrations_match_its_models(db_url):
    assert schema_drift("travel", Base.metadata, db_url) == []
