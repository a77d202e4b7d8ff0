"""The one load at every service's edge: each kind of bad input is a 422 naming what is wrong."""
import pytest
from marshmallow import Schema, fields

from shared.edge import dump, load
from shared.errors import Invalid


class Booking(Schema):
    day = fields.Date(required=True)
    seats = fields.Integer(required=True)


@pytest.mark.parametrize("data", [[], "text", None, 3])
def test_a_body_that_is_not_an_object_is_refused(data):
    with pytest.raises(Invalid) as refused:
        load(Booking, data)
    assert refused.value.message == "the request must be a JSON object"


@pytest.mark.parametrize("data, field", [({"seats": 1}, "day"),                           # missing
                                         ({"day": "2027-01-04", "seats": 1, "x": 1}, "x"),  # unknown
                                         ({"day": "2027-01-04", "seats": "many"}, "seats")])  # wrong type
def test_a_missing_unknown_or_mistyped_field_is_refused_naming_it(data, field):
    with pytest.raises(Invalid) as refused:
        load(Booking, data)
    assert field in refused.value.details["fields"]
    assert field in refused.value.message


def test_a_good_request_loads_and_dumps_back_to_json_primitives():
    loaded = load(Booking, {"day": "2027-01-04", "seats": 2})
    assert dump(Booking, loaded) == {"day": "2027-01-04", "seats": 2}
