"""The kernel every Carepath service stands on: events, outbox, inbox, db, health."""
