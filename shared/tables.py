"""The kernel's own tables, present in every service's database.

- outbox: events committed with the state change that caused them;
- inbox: the events each consumer has already handled (idempotency);
- dead_letters: messages a consumer could not handle, parked for an operator;
- commands: the RPC commands each entrypoint has carried out, by the command id the caller
  gave, with the reply it sent (a redelivered command answers from here, with no second effect);
- timers: facts a use case scheduled for later (a deposit overdue on its due date), by a key the
  use case chooses so it can move or cancel them; the timer relay emits each once it is due.
"""
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text

# SQLite only autoincrements INTEGER primary keys.
BigId = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class KernelTables:
    outbox: Table
    inbox: Table
    dead_letters: Table
    commands: Table
    timers: Table


def add_kernel_tables(metadata: MetaData) -> KernelTables:
    outbox = Table(
        "outbox", metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("journey_id", String(36), nullable=False, index=True),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
    )
    Index("ix_outbox_pending", outbox.c.id,
          postgresql_where=outbox.c.published_at.is_(None),
          sqlite_where=outbox.c.published_at.is_(None))
    inbox = Table(
        "inbox", metadata,
        Column("consumer", String(200), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("journey_id", String(36), nullable=True, index=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    dead_letters = Table(
        "dead_letters", metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("consumer", String(200), nullable=False),
        Column("queue", String(300), nullable=False),
        Column("event_id", String(36), nullable=True),
        Column("event_type", String(100), nullable=True),
        Column("journey_id", String(36), nullable=True, index=True),
        Column("body", Text, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("status", String(20), nullable=False, index=True),
        Column("parked_at", DateTime(timezone=True), nullable=False),
        Column("resolved_at", DateTime(timezone=True), nullable=True),
    )
    commands = Table(
        "commands", metadata,
        Column("consumer", String(200), primary_key=True),     # <service>.<rpc method>
        Column("command_id", String(100), primary_key=True),
        Column("reply", Text, nullable=True),                  # JSON; NULL until the reply is kept
        Column("recorded_at", DateTime(timezone=True), nullable=False, index=True),
    )
    timers = Table(
        "timers", metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("key", String(200), nullable=False, unique=True),     # e.g. deposit_overdue:<invoice>
        Column("event_type", String(100), nullable=False),
        Column("event_version", Integer, nullable=True),
        Column("journey_id", String(36), nullable=False, index=True),
        Column("payload", Text, nullable=False),                     # JSON, validated when scheduled
        Column("context", Text, nullable=True),                      # JSON: causation, correlation, actor
        Column("due_at", DateTime(timezone=True), nullable=False),
        Column("scheduled_at", DateTime(timezone=True), nullable=False),
        Column("fired_at", DateTime(timezone=True), nullable=True),
        Column("event_id", String(36), nullable=True),               # the event it fired as
    )
    Index("ix_timers_pending", timers.c.due_at,
          postgresql_where=timers.c.fired_at.is_(None),
          sqlite_where=timers.c.fired_at.is_(None))
    return KernelTables(outbox, inbox, dead_letters, commands, timers)
