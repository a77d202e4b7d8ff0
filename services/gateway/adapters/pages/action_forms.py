"""A staff action's form, drawn from its API route's request schema (nothing written twice): each field's
input, choices (a OneOf validator's), whether it must be given and its label; what was typed, as the JSON
body the route loads; and the route's own validation messages, each beside its field."""
import re
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from services.gateway.adapters.pages.action_words import YES_NO, code_words, label
from shared.errors import sentence

FORM_LEVEL = "_form"   # an error that belongs to no one field
_WHOLE = re.compile(r"-?\d+")
_DECIMAL_COMMA = re.compile(r"-?\d+,\d{1,2}")


@dataclass(frozen=True)
class Field:
    """One input of an action's form; `name` is the body field's ("sides.0.side" inside a list of
    objects) or a path parameter's."""
    name: str
    label: str
    kind: str   # text, textarea, email, number, money, decimal, date, datetime, select, checkboxes, list
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    low: int | None = None
    high: int | None = None

    @property
    def dom_id(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "-", self.name)


def schema_fields(schema_cls: type[Schema] | None, skip=(), prefix: str = "", required: bool = True,
                  labels: dict | None = None, group: str = "") -> list[Field]:
    """The inputs for a request schema, in its order; a list of objects gets one set per entry it allows,
    each input of an object labelled with the object's words ("Side 2: Implant lot")."""
    found: list[Field] = []
    for name, field in (schema_cls().fields.items() if schema_cls else ()):
        key = field.data_key or name
        if field.dump_only or key in skip:
            continue
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            many = _longest(field) or 1
            for index in range(many):
                found += schema_fields(type(field.inner.schema), prefix=f"{prefix}{key}.{index}.",
                                       required=required and field.required and index == 0, labels=labels,
                                       group=f"{label(key)}{f' {index + 1}' if many > 1 else ''}: ")
        elif isinstance(field, fields.Nested):
            found += schema_fields(type(field.schema), prefix=f"{prefix}{key}.", labels=labels,
                                   required=required and field.required, group=f"{label(key)}: ")
        else:
            words = group + ((labels or {}).get(key) or label(key))
            found.append(_field(f"{prefix}{key}", words, field, required and field.required))
    return found


def _field(name: str, words: str, field, required: bool) -> Field:
    short = name.rsplit(".", 1)[-1]
    if isinstance(field, fields.Boolean):
        yes, no = YES_NO.get(short, ("Yes", "No"))
        return Field(name, words, "select", required, (("true", yes), ("false", no)))
    if isinstance(field, fields.List):
        choices = _one_of(field.inner)
        return Field(name, words, "checkboxes" if choices else "list", required, choices)
    if isinstance(field, fields.Integer):
        low, high = _range(field)
        kind = "money" if short.endswith("_cents") else "number"
        return Field(name, words, kind, required, low=low, high=high)
    if isinstance(field, fields.Decimal):
        return Field(name, words, "decimal", required)
    if isinstance(field, fields.DateTime):   # AwareDateTime: an instant, typed at the clinic
        return Field(name, words, "datetime", required)
    if isinstance(field, fields.Date):
        return Field(name, words, "date", required)
    if isinstance(field, fields.String):
        choices, longest = _one_of(field), _longest(field)
        kind = "select" if choices else "email" if isinstance(field, fields.Email) else \
            "textarea" if longest is not None and longest > 300 else "text"
        return Field(name, words, kind, required, choices, max_length=longest)
    raise TypeError(f"the journey page has no input for {name} ({type(field).__name__})")


def choice_field(name: str, words: str, choices, required: bool = True) -> Field:
    return Field(name, words, "select", required, tuple(choices))


def with_choices(field: Field, choices) -> Field:
    return replace(field, kind="select", choices=tuple(choices))


def _validators(field) -> list:
    return field.validators if hasattr(field, "validators") else []


def _one_of(field) -> tuple[tuple[str, str], ...]:
    found = next((v for v in _validators(field) if isinstance(v, validate.OneOf)), None)
    return tuple((str(code), code_words(str(code))) for code in found.choices) if found else ()


def _longest(field) -> int | None:
    """A Length validator's maximum: of a text, or of a list's entries."""
    return next((v.max for v in _validators(field) if isinstance(v, validate.Length)), None)


def _range(field) -> tuple[int | None, int | None]:
    found = next((v for v in _validators(field) if isinstance(v, validate.Range)), None)
    return (found.min, found.max) if found else (None, None)


# -- what was typed, as the route's body --------------------------------------------------------------

def typed(form, inputs: list[Field]) -> dict:
    """What the form sent for these inputs, as it was typed (shown again beside an error)."""
    return {f.name: (form.getlist(f.name) if f.kind == "checkboxes" else form.get(f.name, "")[:4000])
            for f in inputs}


def body_of(values: dict, inputs: list[Field], zone: ZoneInfo, fixed: dict | None = None) -> dict:
    """The JSON body: empty inputs left out (the schema's defaults apply), values in the JSON types the
    route loads; what cannot be read so is sent as typed, so the route's own message says what is wrong."""
    body: dict = {}
    for f in inputs:
        value = _json_value(f, values.get(f.name), zone)
        if value is not None:
            _put(body, f.name.split("."), value)
    return {**_lists(body), **(fixed or {})}


def _json_value(f: Field, raw, zone: ZoneInfo):
    if f.kind == "checkboxes":
        return list(raw) if raw else None
    raw = (raw or "").strip()
    if not raw:
        return None
    if f.kind == "select" and f.choices[:1] and f.choices[0][0] == "true":
        return {"true": True, "false": False}.get(raw, raw)
    if f.kind == "number":
        return int(raw) if _WHOLE.fullmatch(raw) else raw
    if f.kind == "money":
        return _cents(raw)
    if f.kind == "decimal":
        return raw.replace(",", ".") if _DECIMAL_COMMA.fullmatch(raw) else raw
    if f.kind == "datetime":
        return _instant(raw, zone)
    if f.kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def _cents(raw: str):
    """Euros as typed (12500, 12,500.00 or 12.500,00) in whole cents; else as typed."""
    text = raw.replace(" ", "").replace("€", "")
    if "," in text and "." in text:   # the later one separates the cents
        text = text.replace(".", "").replace(",", ".") if text.rindex(",") > text.rindex(".") \
            else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else text.replace(",", "")
    try:
        cents = Decimal(text) * 100
    except InvalidOperation:
        return raw
    return int(cents) if cents.is_finite() and cents == cents.to_integral_value() else raw


def _instant(raw: str, zone: ZoneInfo) -> str:
    """A date and time typed at the clinic (an <input type=datetime-local>) as an instant with its offset."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def _put(body: dict, path: list[str], value) -> None:
    for key in path[:-1]:
        body = body.setdefault(key, {})
    body[path[-1]] = value


def _lists(value):
    """{"0": {...}, "1": {}} -> [{...}]: the entries of a list of objects, those left empty dropped."""
    if not isinstance(value, dict):
        return value
    value = {key: _lists(item) for key, item in value.items()}
    if value and all(key.isdigit() for key in value):
        return [value[key] for key in sorted(value, key=int) if value[key] != {}]
    return value


# -- the route's errors, beside their fields ---------------------------------------------------------

def errors_by_field(answer: dict, inputs: list[Field]) -> dict[str, str]:
    """The route's answer to a refused body: each field's message beside it ("sides.0.implant_lot"), and
    the rest (the route's sentence, a rule of the whole body, a field not on the form) at the top."""
    flat: dict[str, str] = {}
    _flatten(answer.get("fields") or {}, "", flat)
    names = {f.name for f in inputs}
    found = {name: message for name, message in flat.items() if name in names}
    others = [message for name, message in flat.items() if name not in names]
    top = sentence(answer.get("message") or "the request was refused")
    found[FORM_LEVEL] = " ".join([top, *others]) if others else top
    return found


def _flatten(errors, path: str, flat: dict) -> None:
    if isinstance(errors, dict):
        for key, inner in errors.items():
            where = path if key == "_schema" else f"{path}.{key}" if path else str(key)
            _flatten(inner, where or FORM_LEVEL, flat)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        said = " ".join(sentence(e) for e in errors)
        flat[path] = said if path not in flat else f"{flat[path]} {said}"
    elif isinstance(errors, list):
        for index, inner in enumerate(errors):
            _flatten(inner, f"{path}.{index}", flat)
    elif errors:
        flat[path] = sentence(str(errors))
