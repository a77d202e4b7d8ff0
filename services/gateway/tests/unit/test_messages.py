"""What every caller reads: refusals, errors and times, checked over the whole route table and
every raise site, so a new route or a new error that reads badly fails here."""
import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from marshmallow import Schema, ValidationError, fields
from nameko.exceptions import RemoteError
from werkzeug.exceptions import NotFound as WerkzeugNotFound
from werkzeug.exceptions import RequestEntityTooLarge

from services.gateway.adapters import ui
from services.gateway.adapters.body import project
from services.gateway.adapters.errors import MalformedRequest, ServiceTimeout, classify
from services.gateway.adapters.routing import load_routes
from services.gateway.domain.credentials import Principal
from services.gateway.domain.roles import PATIENT, STAFF_ROLES
from services.gateway.handlers.principals import authorise
from shared import errors
from shared.contracts.api.fields import IsoDateTime

ROOT = Path(__file__).resolve().parents[4]
ROUTES = load_routes()
PAGES = [rule.endpoint for rule in ui.PAGES.iter_rules()]
# The verbs an action may start with; a new route's action starting with any other word is no
# verb phrase ("an invoice with its payments") unless the verb is added here.
VERBS = {"accept", "answer", "ask", "assess", "book", "cancel", "change", "choose", "complete", "conclude",
         "create", "decide", "disable", "discard", "discharge", "enable", "enter", "export", "issue", "list",
         "mark", "move", "open", "override", "pay", "plan", "pre-screen", "read", "record", "request",
         "replay", "reschedule", "resolve", "retry", "save", "schedule", "see", "set", "sign", "skip",
         "submit", "upload", "verify", "withdraw"}
SENTENCE = re.compile(r"^[A-Z][^\n]*[a-z0-9)'\"]\.$")


def refusal_for(role: str, roles, action: str) -> str:
    principal = Principal(kind="staff", subject="staff:1", role=role, version=1, credential=None,
                          journey_id=None, scope="journey")
    with pytest.raises(errors.Forbidden) as refused:
        authorise(principal, roles, action)
    return refused.value.message


def _staff_ones(entries):
    return [entry for entry in entries if not entry.public]


@pytest.mark.parametrize("entry", _staff_ones(ROUTES) + _staff_ones(PAGES), ids=lambda entry: entry.name)
def test_every_route_and_page_refuses_a_role_in_a_sentence_with_a_verb(entry):
    assert entry.action, f"{entry.name}: declare action=\"<verb phrase>\" (e.g. \"read an invoice\")"
    verb = entry.action.split()[0]
    assert verb in VERBS, f"{entry.name}: the action {entry.action!r} does not start with a verb"
    for role in set(STAFF_ROLES + (PATIENT,)) - set(entry.roles):
        message = refusal_for(role, entry.roles, entry.action)
        assert SENTENCE.match(message) and "  " not in message, message
        assert f" may not {entry.action}." in message


def test_the_refusal_names_the_role_as_a_person():
    assert refusal_for("physiotherapist", {"finance"}, "read an invoice and its payments") == \
        "A physiotherapist may not read an invoice and its payments."
    assert refusal_for("finance", {"planner"}, "schedule a surgery") == \
        "Finance staff may not schedule a surgery."
    assert refusal_for("intake_coordinator", {"planner"}, "schedule a surgery").startswith("An intake")


class _Instants(Schema):
    class _Inner(Schema):
        at = IsoDateTime()
        plain = fields.DateTime()
    at = IsoDateTime()
    plain = fields.DateTime(allow_none=True)
    inner = fields.Nested(_Inner)
    many = fields.List(fields.Nested(_Inner))
    moments = fields.List(fields.DateTime())


def _instants(schema: Schema, seen: set) -> dict:
    """A value for every date-time field of `schema` (nested too): a naive instant, as SQLite gives."""
    naive, value = datetime(2026, 12, 2, 10, 0), {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if isinstance(field, fields.DateTime):
            value[key] = naive
        elif isinstance(field, fields.Nested) and id(field.schema) not in seen:
            inner = _instants(field.schema, seen | {id(field.schema)})
            value[key] = [inner] if field.many else inner
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            value[key] = [_instants(field.inner.schema, seen | {id(field.inner.schema)})]
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.DateTime):
            value[key] = [naive.isoformat()]
    return value


def _times(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _times(item)
    elif isinstance(value, list):
        for item in value:
            yield from _times(item)
    elif isinstance(value, str) and re.match(r"\d{4}-\d\d-\d\dT", value):
        yield value


@pytest.mark.parametrize("route", [r for r in ROUTES if r.response is not None], ids=lambda r: r.name)
def test_every_date_time_a_route_returns_carries_its_utc_offset(route):
    """What the service dumped (an instant or its naive text) reaches the client with its offset."""
    sample = _instants(route.response(), set())
    for answer in (sample, route.response().dump(sample)):
        shown = project(route.response(), [answer] if route.many else answer, many=route.many)
        for moment in _times(shown):
            assert datetime.fromisoformat(moment).utcoffset() is not None, (route.name, moment)


def test_a_naive_instant_is_shown_as_utc_and_an_aware_one_keeps_its_offset():
    shown = project(_Instants(), {"at": "2026-12-02T10:00:00", "plain": datetime(2026, 12, 2, 10),
                                  "inner": {"plain": "2026-12-02T10:00:00+01:00"},
                                  "moments": ["2026-12-02T10:00:00"]})
    assert shown["at"] == shown["plain"] == "2026-12-02T10:00:00+00:00"
    assert shown["inner"]["plain"] == "2026-12-02T10:00:00+01:00" and shown["moments"][0].endswith("+00:00")
    assert IsoDateTime().serialize("at", {"at": datetime(2026, 12, 2, 10, tzinfo=UTC)}).endswith("+00:00")


MAPPED = [
    errors.Invalid("the date is in the future"), errors.NotFound("no such journey"),
    errors.Conflict("the start load is fixed once sessions are recorded"), errors.Forbidden("not yours"),
    errors.Unauthorized("token expired"), errors.TooManyRequests("too many requests; try again later"),
    errors.TooLarge.of("file", 20 * 1024 * 1024), MalformedRequest("the body is not valid JSON"),
    RemoteError("Conflict", '{"message": "no active rehabilitation plan (status completed)"}'),
    RemoteError("Invalid", "plain text from an older service"),
    ValidationError({"x": ["bad"]}), ServiceTimeout("slow"), RequestEntityTooLarge(), WerkzeugNotFound(),
    KeyError("a bug"),
]


@pytest.mark.parametrize("exc", MAPPED, ids=lambda exc: type(exc).__name__)
def test_the_error_mapper_tells_every_caller_a_sentence(exc):
    message = classify(exc).message
    assert message[:1].isupper() and message[-1] in ".?!" and ".." not in message, message


def test_an_oversized_body_is_a_413_naming_the_limit():
    failure = classify(errors.TooLarge.of("file", 20 * 1024 * 1024))
    assert (failure.status, failure.message) == (413, "The file is larger than the 20 MB limit.")
    assert failure.details == {"limit_bytes": 20 * 1024 * 1024}
    assert errors.size_text(256 * 1024) == "256 KB" and errors.size_text(1536 * 1024) == "1.5 MB"


TYPED = {"NotFound", "Invalid", "Conflict", "Forbidden", "Unauthorized", "TooManyRequests",
         "MalformedRequest"}


def _raised_messages():
    """Every literal message a typed error is raised with, anywhere in the services and the kernel."""
    for path in sorted([*ROOT.glob("services/*/**/*.py"), *ROOT.glob("shared/**/*.py")]):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                    and getattr(node.exc.func, "id", None) in TYPED and node.exc.args:
                first = node.exc.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", first.value
                elif isinstance(first, ast.JoinedStr):
                    text = "".join(part.value if isinstance(part, ast.Constant) else "{x}"
                                   for part in first.values)
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", text


def test_every_typed_error_raised_is_a_clause_that_reads_as_a_sentence():
    """The mapper capitalises and ends each message; what is raised must be words, not a code."""
    bad = [(where, text) for where, text in _raised_messages()
           if " " not in text.strip() or text.rstrip()[-1:] in ":,;" or text != text.strip()]
    assert not bad, bad
    assert len(list(_raised_messages())) > 50   # the walk finds the raise sites
