from services.gateway.models import Base
from shared.testing.migrations import schema_drift


def test_the_gateway_migrations_match_its_models(db_url):
    assert schema_drift("gateway", Base.metadata, db_url) == []
