"""The gateway with the journey service behind it, for the pages and the journey routes.

The fixtures are the journey suite's (one migrated database per module, one user per role)."""
from services.journey.tests.conftest import gateway_db, journey_db, stack  # noqa: F401  (fixtures)
