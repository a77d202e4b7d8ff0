"""One way in and out at a service's edge: load input with its contract schema, dump output.

Every entrypoint uses these two, so a bad request reads the same everywhere:
a non-object body, a missing field, an unknown field and a wrong type are each
an `Invalid` (422) naming the field.
"""
from marshmallow import RAISE, Schema, ValidationError

from shared.errors import Invalid


def load(schema_cls: type[Schema], data, *, partial: bool = False) -> dict:
    """`data` loaded with the schema; unknown fields are refused, never dropped."""
    if not isinstance(data, dict):
        raise Invalid("the request must be a JSON object",
                      fields={"_schema": [f"expected an object, got {_kind(data)}"]})
    try:
        return schema_cls().load(data, unknown=RAISE, partial=partial)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise Invalid(f"the request has invalid fields: {', '.join(sorted(map(str, messages)))}",
                      fields=messages) from None


def dump(schema_cls: type[Schema], obj, *, many: bool = False):
    """`obj` as JSON primitives, as the schema describes it."""
    return schema_cls(many=many).dump(obj)


def _kind(value) -> str:
    return {list: "a list", str: "a string", type(None): "nothing", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)
