from services.surgery.models import Base
from shared.testing.migrations import schema_drift


def test_the_surgery_migrations_match_its_models(db_url):
    assert schema_drift("surgery", Base.metadata, db_url) == []
