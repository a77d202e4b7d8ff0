"""Marshmallow at the service's edge: RPC input is loaded here, output dumped to JSON primitives."""
from marshmallow import Schema, ValidationError

from shared.errors import Invalid


def load(schema_cls: type[Schema], data) -> dict:
    """Load RPC input; a bad value is the caller's error, with a message per field."""
    if not isinstance(data, dict):
        raise Invalid("the request must be an object")
    try:
        return schema_cls().load(data)
    except ValidationError as exc:
        raise Invalid("the request has invalid fields", fields=exc.messages) from None
