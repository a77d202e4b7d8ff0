"""The travel API: request forms and response views, used by the service and the gateway alike.

The service dumps its replies with these views; the gateway dumps the reply it
got again with the same view (for its OpenAPI document), so a date already in
ISO form passes through unchanged (`IsoDate`, `IsoDateTime`).
The parts below are the wire vocabulary; the service's domain holds the same
(a unit test of the service checks that they agree).
"""
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from shared.contracts.api.fields import IsoDate, IsoDateTime

PARTS = ("outbound", "hotel_preop", "hotel_stay", "return")
AIRPORT = validate.Regexp(r"^[A-Za-z]{3}$", error="an IATA airport code of three letters")


# Requests

# What an agency may echo about the traveller in its webhooks: travel keeps no one's identity,
# and the gateway drops it before it hands the event over.
PERSONAL = ("passenger", "passengers", "traveller", "guest", "guests")


class AgencyEventForm(Schema):
    """A verified agency webhook: unique id, type, and the order it is about.

    The agency may add top-level fields to its events at any time; they are
    dropped here (not refused), as the old lenient load did; so is the passenger
    it may echo in `data`.
    """
    id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    type = fields.String(required=True, validate=validate.Length(min=1, max=60))
    created = fields.Integer(load_default=None)
    data = fields.Dict(required=True)

    @pre_load
    def _known_fields_only(self, data, **kwargs):
        known = {key: value for key, value in data.items() if key in self.fields}
        if isinstance(known.get("data"), dict):
            known["data"] = {key: value for key, value in known["data"].items() if key not in PERSONAL}
        return known


class PhoneBookingForm(Schema):
    """A booking the desk made by phone: the part, its confirmation code and dates."""
    part = fields.String(required=True, validate=validate.OneOf(PARTS))
    confirmation_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    start = fields.Date(required=True, metadata={"description": "departure day, or hotel check-in"})
    end = fields.Date(load_default=None, metadata={"description": "arrival day, or hotel check-out"})
    origin = fields.String(load_default=None, validate=AIRPORT)
    destination = fields.String(load_default=None, validate=AIRPORT)

    @validates_schema
    def _end_not_before_start(self, data, **kwargs):
        if data.get("end") and data["end"] < data["start"]:
            raise ValidationError("must not be before start", "end")


class ReturnMoveForm(Schema):
    departure_date = fields.Date(required=True)


class HomeAirportForm(Schema):
    airport = fields.String(required=True, validate=AIRPORT)


class TaskResolutionForm(Schema):
    cost_cents = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=0),
                                metadata={"description": "what a cancellation made by phone cost"})


# Responses

class TravelBookingView(Schema):
    id = fields.String()
    part = fields.String()
    kind = fields.String()
    source = fields.String()
    status = fields.String()
    current = fields.Boolean()
    origin = fields.String(allow_none=True)
    destination = fields.String(allow_none=True)
    wanted_start = IsoDate()
    wanted_end = IsoDate()
    booked_start = IsoDate(allow_none=True)
    booked_end = IsoDate(allow_none=True)
    order_id = fields.String(allow_none=True)
    confirmation_code = fields.String(allow_none=True)
    cost_cents = fields.Integer()


class ItineraryHistoryView(Schema):
    at = IsoDateTime()
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    actor = fields.String()


class TravelDeskTaskView(Schema):
    id = fields.Integer()
    journey_id = fields.String()
    itinerary_id = fields.String()
    kind = fields.String(metadata={"description": "conflict or task"})
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    status = fields.String()
    opened_at = IsoDateTime()


class ItineraryView(Schema):
    id = fields.String()
    journey_id = fields.String()
    surgery_id = fields.String()
    status = fields.String()
    confirmed = fields.Boolean()
    arrival_by = IsoDate()
    preop_check_date = IsoDate()
    surgery_date = IsoDate()
    planned_ward_discharge = IsoDate()
    planned_rehab_end = IsoDate()
    rehab_completed_on = IsoDate(allow_none=True)
    departure_date = IsoDate()
    home_airport = fields.String(allow_none=True)
    bookings = fields.List(fields.Nested(TravelBookingView))
    history = fields.List(fields.Nested(ItineraryHistoryView))
    conflicts = fields.List(fields.Nested(TravelDeskTaskView))
    tasks = fields.List(fields.Nested(TravelDeskTaskView))


class PhoneBookingEntered(Schema):
    booking_id = fields.String()
    itinerary_confirmed = fields.Boolean()


class ReturnMoved(Schema):
    itinerary_id = fields.String()
    departure_date = IsoDate()


class HomeAirportSet(Schema):
    journey_id = fields.String()
    home_airport = fields.String()


class TaskResolved(Schema):
    task_id = fields.Integer()
    status = fields.String()
