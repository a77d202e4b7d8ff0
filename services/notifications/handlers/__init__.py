"""Use cases: record a message, send it, reminders, preferences, erasure."""
