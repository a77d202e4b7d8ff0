"""Fields the API contracts share.

A use case may hand a view a date (or an instant) or the ISO text it already
has; either dumps as ISO 8601, so a view can be dumped from rows and dicts alike.
Every instant the API returns carries its UTC offset (`with_offset`): SQLite keeps
none, and what it gives back naive is UTC.
"""
from datetime import UTC, datetime

from marshmallow import fields


def with_offset(value):
    """An instant (or its ISO text) as ISO text with its UTC offset; a naive one is taken as UTC.
    Anything that is not an instant is returned unchanged."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return value
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


class IsoDate(fields.Date):
    """A date, dumped as ISO text; text already in that form passes through unchanged."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class IsoDateTime(fields.DateTime):
    """An instant, dumped as ISO text with its UTC offset (naive: UTC), from an instant or ISO text."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else with_offset(value)
