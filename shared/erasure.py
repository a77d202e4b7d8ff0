"""Answering an erasure request: every service replies once, with what it did.

An erasure on request forgets an enquirer; a purge (`erasure_requested` with `purge`, when the
retention period ended) forgets even a patient. Either way what the kernel kept of the journey goes
too: its dead letters, the published outbox rows and fired timers (their payloads hold the facts)
and the replies kept for its commands. What stays is the non-personal skeleton each service names.
"""
from sqlalchemy import delete, or_, select

from shared.contracts.journey import ErasureConfirmed
from shared.tables import KernelTables

RETAINED = "medical record retention (20 years)"
KERNEL_TABLES = ("outbox", "inbox", "dead_letters", "commands", "timers")


def confirm_erasure(uow, event, *, erased: bool, retained_reason: str | None = None) -> None:
    """Emit this service's one `erasure_confirmed` for the request in `event` (inside `with uow`)."""
    uow.emit(ErasureConfirmed, {"request_id": event.payload["request_id"], "service": uow.producer,
                                "erased": erased, "retained_reason": retained_reason},
             event.journey_id)


def is_purge(event) -> bool:
    """The retention period ended: erase the record whatever kind it is."""
    return bool(event.payload.get("purge"))


def scrub_kernel(session, kernel: KernelTables, journey_id: str) -> None:
    """Remove what the kernel holds of a journey: parked letters, sent events, fired or pending
    timers, kept command replies (inside the erasure's unit of work; unsent events still go out)."""
    letters, outbox, timers, commands = kernel.dead_letters, kernel.outbox, kernel.timers, kernel.commands
    session.execute(delete(letters).where(or_(letters.c.journey_id == journey_id,
                                              letters.c.body.contains(journey_id))))
    session.execute(delete(outbox).where(outbox.c.journey_id == journey_id,
                                         outbox.c.published_at.is_not(None)))
    session.execute(delete(timers).where(timers.c.journey_id == journey_id))
    session.execute(delete(commands).where(commands.c.reply.contains(journey_id)))


def purge_rows(session, metadata, journey_id: str, keep: tuple[str, ...] = ()) -> int:
    """Delete every row of the journey in this service's own tables: a table with a `journey_id`
    column, and the rows of tables that point at such a row (children first). Returns how many."""
    tables = [t for t in metadata.sorted_tables if t.name not in KERNEL_TABLES + keep]
    owned = {t.name for t in tables if "journey_id" in t.c}
    removed = 0
    for table in reversed(tables):
        if table.name in owned:
            removed += session.execute(delete(table).where(table.c.journey_id == journey_id)).rowcount
            continue
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name in owned:
                rows = select(fk.column).where(parent.c.journey_id == journey_id)
                removed += session.execute(delete(table).where(fk.parent.in_(rows))).rowcount
    return removed
