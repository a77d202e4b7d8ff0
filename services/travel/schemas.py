"""Marshmallow at the RPC edge: what comes in is loaded here, what goes out is dumped here."""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.travel.domain import PARTS
from shared.errors import Invalid

AIRPORT = validate.Regexp(r"^[A-Za-z]{3}$", error="an IATA airport code of three letters")


class AgencyEventIn(Schema):
    """A verified agency webhook: unique id, type, and the order it is about."""
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.Length(min=1, max=60))
    created = fields.Integer(load_default=None)
    data = fields.Dict(required=True)


class PhoneBookingIn(Schema):
    """A booking the desk made by phone: the part, its confirmation code and dates."""
    part = fields.String(required=True, validate=validate.OneOf(PARTS))
    confirmation_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    start = fields.Date(required=True)
    end = fields.Date(load_default=None)
    origin = fields.String(load_default=None, validate=AIRPORT)
    destination = fields.String(load_default=None, validate=AIRPORT)

    @validates_schema
    def _end_not_before_start(self, data, **kwargs):
        if data.get("end") and data["end"] < data["start"]:
            raise ValidationError("must not be before start", "end")


class ReturnMoveIn(Schema):
    departure_date = fields.Date(required=True)


class AirportIn(Schema):
    airport = fields.String(required=True, validate=AIRPORT)


class ResolveIn(Schema):
    cost_cents = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=0))


def load(schema: type[Schema], data) -> dict:
    """Load RPC input, or raise Invalid with the per-field messages."""
    try:
        return schema().load(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        raise Invalid("invalid request", fields=exc.messages) from None


class BookingOut(Schema):
    id = fields.String()
    part = fields.String()
    kind = fields.String()
    source = fields.String()
    status = fields.String()
    current = fields.Boolean()
    origin = fields.String(allow_none=True)
    destination = fields.String(allow_none=True)
    wanted_start = fields.Date()
    wanted_end = fields.Date()
    booked_start = fields.Date(allow_none=True)
    booked_end = fields.Date(allow_none=True)
    order_id = fields.String(allow_none=True)
    confirmation_code = fields.String(allow_none=True)
    cost_cents = fields.Integer()


class HistoryOut(Schema):
    at = fields.DateTime()
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    actor = fields.String()


class TaskOut(Schema):
    id = fields.Integer()
    journey_id = fields.String()
    itinerary_id = fields.String()
    kind = fields.String()
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    status = fields.String()
    opened_at = fields.DateTime()


class ItineraryOut(Schema):
    id = fields.String()
    journey_id = fields.String()
    surgery_id = fields.String()
    status = fields.String()
    confirmed = fields.Boolean()
    arrival_by = fields.Date()
    preop_check_date = fields.Date()
    surgery_date = fields.Date()
    planned_ward_discharge = fields.Date()
    planned_rehab_end = fields.Date()
    rehab_completed_on = fields.Date(allow_none=True)
    departure_date = fields.Date()
    home_airport = fields.String(allow_none=True)
    bookings = fields.List(fields.Nested(BookingOut))
    history = fields.List(fields.Nested(HistoryOut))
    conflicts = fields.List(fields.Nested(TaskOut))
    tasks = fields.List(fields.Nested(TaskOut))
