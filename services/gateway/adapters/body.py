"""Everything a client sends, read once and strictly, before any route sees it.

One parser for JSON bodies (size, depth, strict text) and one check for the
values loaded from a body or a query string (text, whole numbers, dates), so a
class of bad input is refused in one place with a 4xx that says what is wrong,
never deep inside a route with a 500.
"""
import json
import re
from datetime import date, datetime

from marshmallow import Schema, fields

from services.gateway.adapters.errors import MalformedRequest
from shared.contracts.api.fields import with_offset
from shared.edge import load
from shared.errors import Invalid

MAX_DEPTH = 32
# Whole numbers fit PostgreSQL's integer (amounts are cents, pages are counts):
# nothing the clinic stores comes near, and past it the database would refuse.
MAX_INT = 2**31 - 1
# Dates from 1900 (a date of birth) to 2199 (a far follow-up); beyond, calendars overflow.
MIN_YEAR, MAX_YEAR = 1900, 2199
MAX_TEXT = 100_000
# Control characters are never text (PostgreSQL refuses NUL); a lone surrogate is no character.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]")


def parse_json(raw: bytes):
    """The JSON value in `raw`; a 400 for invalid JSON, too deep nesting or characters
    that are not text (NUL and other control characters, lone surrogates)."""
    try:
        text = raw.decode("utf-8") if raw else "null"
    except UnicodeDecodeError:
        raise MalformedRequest("the body is not UTF-8 text") from None
    depth = _nesting(text)
    if depth > MAX_DEPTH:
        raise MalformedRequest(f"the body is nested {depth} levels deep; at most {MAX_DEPTH} are allowed")
    try:
        value = json.loads(text)
    except ValueError:
        raise MalformedRequest("the body is not valid JSON") from None
    _check_text(value, "")
    return value


def load_body(schema_cls: type[Schema], raw: bytes) -> dict:
    """A JSON object body loaded with `schema_cls`: JSON types must match the fields exactly
    (a boolean is `true`/`false`, a whole number is not `"12"` or `1.5`), then the bounds."""
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise MalformedRequest("the body must be a JSON object")
    schema = schema_cls()
    errors = _json_types(schema, data)
    if errors:
        raise Invalid(f"the request has invalid fields: {', '.join(sorted(errors))}", fields=errors)
    return check_bounds(load(schema_cls, data))


def load_query(schema_cls: type[Schema], args: dict) -> dict:
    """Query-string parameters loaded with `schema_cls`, then the same text and bounds checks."""
    _check_text(args, "")
    return check_bounds(load(schema_cls, args))


def check_bounds(value, path: str = ""):
    """Refuse whole numbers and dates no real request has (they overflow columns and calendars)."""
    errors: dict = {}
    _bounds(value, path, errors)
    if errors:
        raise Invalid(f"the request has values out of range: {', '.join(sorted(errors))}", fields=errors)
    return value


def _bounds(value, path: str, errors: dict) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > MAX_INT:
        errors[path or "_schema"] = [f"must be between -{MAX_INT} and {MAX_INT}"]
    elif isinstance(value, float) and not abs(value) <= 1e15:
        errors[path or "_schema"] = ["must be a finite number of sensible size"]
    elif isinstance(value, date | datetime) and not MIN_YEAR <= value.year <= MAX_YEAR:
        errors[path or "_schema"] = [f"must be a date between {MIN_YEAR} and {MAX_YEAR}"]
    elif isinstance(value, dict):
        for key, item in value.items():
            _bounds(item, f"{path}.{key}" if path else str(key), errors)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _bounds(item, f"{path}.{index}" if path else str(index), errors)


def _nesting(text: str) -> int:
    """How deep arrays and objects nest (strings removed first), before the parser recurses."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", _STRINGS.sub("", text)):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_text(value, path: str) -> None:
    if isinstance(value, str):
        _check_string(value, path or "body")
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            _check_string(str(key), where)
            _check_text(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}.{index}" if path else str(index))


def _check_string(text: str, where: str) -> None:
    if len(text) > MAX_TEXT:
        raise MalformedRequest(f"the field {where!r} is longer than {MAX_TEXT} characters")
    found = _NOT_TEXT.search(text)
    if found:
        code = ord(found.group())
        kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        raise MalformedRequest(f"the field {where!r} contains {kind} (U+{code:04X}), which is not text")


_JSON_TYPES = (
    (fields.Boolean, (bool,), "must be true or false"),
    (fields.Integer, (int,), "must be a whole number"),
    (fields.Decimal, (int, float, str), "must be a number"),
    (fields.Number, (int, float), "must be a number"),
    (fields.String, (str,), "must be a string"),
)


def _json_types(schema: Schema, data: dict) -> dict:
    """Field -> message for every value whose JSON type does not match its declared field."""
    errors: dict = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in data or data[key] is None:
            continue
        message = _type_error(field, data[key])
        if message:
            errors[key] = message if isinstance(message, dict) else [message]
    return errors


def _type_error(field, value):
    if isinstance(field, fields.Nested) and isinstance(value, dict | list):
        nested = field.schema
        items = value if field.many and isinstance(value, list) else [value]
        found = {}
        for index, item in enumerate(items):
            if isinstance(item, dict):
                inner = _json_types(nested, item)
                if inner:
                    found[index] = inner
        if not field.many:
            return found.get(0)
        return found or None
    if isinstance(field, fields.List) and isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            message = _type_error(field.inner, item) if item is not None else None
            if message:
                found[index] = [message] if isinstance(message, str) else message
        return found or None
    for field_type, allowed, message in _JSON_TYPES:
        if isinstance(field, field_type):
            # bool is an int in Python, never a number in a request; 2.0 is no whole number either.
            ok = isinstance(value, allowed) and (field_type is fields.Boolean or not isinstance(value, bool))
            if isinstance(field, fields.Integer) and isinstance(value, float):
                ok = False
            return None if ok else message
    return None


def project(schema: Schema, value, *, many: bool = False):
    """Only the fields the response schema declares leave the gateway.

    Services answer with what their contract schema dumped (JSON primitives), so the
    values are not dumped again: the schema is the list of what may be shown."""
    if value is None:
        return None
    if many:
        return [project(schema, item) for item in value]
    if not isinstance(value, dict):
        value = schema.dump(value)   # a gateway-local object (no service dumped it yet)
    shown = {}
    for name, field in schema.fields.items():
        if field.load_only:
            continue
        key = field.data_key or name
        if key in value:
            shown[key] = _project_field(field, value[key])
    return shown


def _project_field(field, value):
    if value is None:
        return None
    if isinstance(field, fields.DateTime):
        return with_offset(value)   # every instant the API returns carries its offset, whoever dumped it
    if isinstance(field, fields.List) and isinstance(field.inner, fields.DateTime):
        return [with_offset(item) for item in value] if isinstance(value, list) else value
    if isinstance(field, fields.Nested):
        return project(field.schema, value, many=field.many)
    if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested) and isinstance(value, list):
        return [project(field.inner.schema, item) for item in value]
    return value
