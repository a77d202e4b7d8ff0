from services.notifications.models import Base
from shared.testing.migrations import schema_drift


def test_the_notifications_migrations_match_its_models(db_url):
    assert schema_drift("notifications", Base.metadata, db_url) == []
