"""Fields the API contracts share.

A use case may hand a view a date (or an instant) or the ISO text it already
has; either dumps as ISO 8601, so a view can be dumped from rows and dicts alike.
"""
from marshmallow import fields


class IsoDate(fields.Date):
    """A date, dumped as ISO text; text already in that form passes through unchanged."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class IsoDateTime(fields.DateTime):
    """An instant, dumped as ISO text; text already in that form passes through unchanged."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)
