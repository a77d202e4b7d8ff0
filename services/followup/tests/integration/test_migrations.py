from services.followup.models import Base
from shared.testing.migrations import schema_drift


def test_the_followup_migrations_match_its_models(db_url):
    assert schema_drift("followup", Base.metadata, db_url) == []
