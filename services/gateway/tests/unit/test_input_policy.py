"""What a client may send: one parser and one bounds policy for every route (security findings)."""
import pytest
from marshmallow import Schema, fields

from services.gateway.adapters.body import load_body, load_query, parse_json, project
from services.gateway.adapters.dispatch import request_id_of
from services.gateway.adapters.errors import MalformedRequest, classify
from shared.errors import Invalid


class Form(Schema):
    consent = fields.Boolean()
    days = fields.Integer()
    weight = fields.Decimal(as_string=True)
    day = fields.Date()
    name = fields.String()

    class Part(Schema):
        count = fields.Integer()
    part = fields.Nested(Part)
    parts = fields.List(fields.Nested(Part))


def test_json_nested_thousands_of_levels_deep_is_a_400_not_a_recursion_error():
    with pytest.raises(MalformedRequest, match="nested 20000 levels"):
        parse_json(b"[" * 20000 + b"]" * 20000)
    assert classify(MalformedRequest("x")).status == 400


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert parse_json(b'{"note": "' + b"[" * 100 + b'"}') == {"note": "[" * 100}


@pytest.mark.parametrize("raw, what", [(b'{"name": "\\ud800"}', "lone surrogate"),
                                       (b'{"name": "a\\u0000b"}', "control character"),
                                       (b'{"\\u0007": 1}', "control character"),
                                       (b"\xff\xfe", "UTF-8")])
def test_text_that_is_not_text_is_refused_where_it_enters(raw, what):
    with pytest.raises(MalformedRequest, match=what):
        parse_json(raw)


def test_line_breaks_and_tabs_are_text():
    assert parse_json(b'{"name": "two\\nlines\\tand a tab"}')["name"] == "two\nlines\tand a tab"


@pytest.mark.parametrize("body, field", [(b'{"consent": 1}', "consent"), (b'{"consent": "true"}', "consent"),
                                         (b'{"days": "12"}', "days"), (b'{"days": 1.5}', "days"),
                                         (b'{"days": true}', "days"), (b'{"name": 5}', "name"),
                                         (b'{"part": {"count": "3"}}', "part"),
                                         (b'{"parts": [{"count": 1}, {"count": false}]}', "parts")])
def test_a_json_value_of_the_wrong_type_is_refused_naming_the_field(body, field):
    with pytest.raises(Invalid) as refused:
        load_body(Form, body)
    assert field in refused.value.details["fields"]


def test_the_right_json_types_load():
    loaded = load_body(Form, b'{"consent": true, "days": 12, "weight": 82.5, "day": "2027-01-04", '
                             b'"part": {"count": 2}, "parts": [{"count": 1}]}')
    assert loaded["consent"] is True and loaded["days"] == 12 and str(loaded["weight"]) == "82.5"


@pytest.mark.parametrize("body, field", [(b'{"days": 18446744073709551616}', "days"),
                                         (b'{"day": "9999-12-31"}', "day"),
                                         (b'{"day": "0001-01-01"}', "day")])
def test_numbers_and_dates_past_any_real_value_are_a_422(body, field):
    with pytest.raises(Invalid) as refused:
        load_body(Form, body)
    assert field in refused.value.details["fields"]


class Paging(Schema):
    page = fields.Integer()
    start = fields.Date()


@pytest.mark.parametrize("args", [{"page": "1e20"}, {"start": "9999-12-31"}, {"page": "99999999999"}])
def test_paging_and_calendar_parameters_past_any_real_value_are_a_422(args):
    with pytest.raises(Invalid):
        load_query(Paging, args)


def test_a_query_parameter_with_a_nul_byte_is_refused():
    with pytest.raises(MalformedRequest):
        load_query(Paging, {"page": "1\x00"})


class _Request:
    def __init__(self, value):
        self.headers = {"X-Request-ID": value} if value is not None else {}


def test_a_clients_request_id_is_kept_only_when_it_is_short_and_plain():
    assert request_id_of(_Request("abc-123.x:y")) == "abc-123.x:y"
    for odd in ("x" * 101, "new\nline", "<script>", "", None):
        generated = request_id_of(_Request(odd))
        assert generated != odd and len(generated) == 36


class View(Schema):
    id = fields.String()
    day = fields.Date()

    class Part(Schema):
        n = fields.Integer()
    parts = fields.List(fields.Nested(Part))


def test_only_declared_fields_of_an_answer_leave_the_gateway_and_dumped_values_pass_unchanged():
    answer = {"id": "a", "day": "2027-01-04", "secret": "x", "parts": [{"n": 1, "hidden": 2}]}
    assert project(View(), answer) == {"id": "a", "day": "2027-01-04", "parts": [{"n": 1}]}
    assert project(View(), [answer], many=True)[0]["day"] == "2027-01-04"
