"""Checks that a service's Alembic history and its models describe the same schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import make_engine
from shared.migrations import not_kernel, upgrade


def schema_drift(service: str, metadata, url: str) -> list:
    """Migrate `url` to head and list every difference from the models (empty: none)."""
    upgrade(service, url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": not_kernel,
                                                             "compare_type": True})
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()
