from services.rehabilitation.models import Base
from shared.testing.migrations import schema_drift


def test_the_rehabilitation_migrations_match_its_models(db_url):
    assert schema_drift("rehabilitation", Base.metadata, db_url) == []
