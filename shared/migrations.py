"""Alembic, one history per service (services/<name>/migrations)."""
from pathlib import Path

from alembic import command, context
from alembic.config import Config as AlembicConfig
from sqlalchemy import MetaData

from shared.config import ROOT
from shared.db import make_engine
from shared.tables import add_kernel_tables


def revision(service: str, message: str) -> None:
    """Autogenerate a migration for a service's model changes (against a scratch SQLite)."""
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/scratch.db"
        upgrade(service, url)
        command.revision(alembic_config(service, url), message=message, autogenerate=True)


def alembic_config(service: str, url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(ROOT / "services" / service / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(service: str, url: str, revision: str = "head") -> None:
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(service, url), revision)


def run_env(target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=engine.dialect.name == "sqlite",
                          compare_type=True, include_object=not_kernel)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


KERNEL_TABLES = {"outbox", "inbox", "dead_letters", "commands", "timers"}
# What a service's first migration created; each kernel table added later has its own migration.
FIRST_KERNEL_TABLES = ("outbox", "inbox", "dead_letters")


def not_kernel(obj, name, type_, reflected, compare_to) -> bool:
    """Kernel tables come from create_kernel_tables(), not from autogenerate."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", name) not in KERNEL_TABLES


def create_kernel_tables(op, names=FIRST_KERNEL_TABLES) -> None:
    """Create kernel tables: outbox, inbox and dead_letters from a service's first migration,
    a later kernel table (e.g. `create_kernel_tables(op, ["commands"])`) from its own."""
    metadata = MetaData()
    add_kernel_tables(metadata)
    metadata.create_all(bind=op.get_bind(), tables=[metadata.tables[name] for name in names])


def drop_kernel_tables(op, names=FIRST_KERNEL_TABLES) -> None:
    metadata = MetaData()
    add_kernel_tables(metadata)
    metadata.drop_all(bind=op.get_bind(), tables=[metadata.tables[name] for name in names])
