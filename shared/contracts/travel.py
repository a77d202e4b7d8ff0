"""Events produced by the travel service."""
from marshmallow import Schema, fields

from shared.events import contract


@contract("itinerary_requested", 1)
class ItineraryRequested(Schema):
    itinerary_id = fields.String(required=True)
    arrival_by = fields.Date(required=True)
    departure_date = fields.Date(required=True)


@contract("itinerary_confirmed", 1)
class ItineraryConfirmed(Schema):
    itinerary_id = fields.String(required=True)
    arrival_date = fields.Date(required=True)
    departure_date = fields.Date(required=True)


@contract("travel_conflict_detected", 1)
class TravelConflictDetected(Schema):
    itinerary_id = fields.String(required=True)
    conflict_code = fields.String(required=True)
    part = fields.String(allow_none=True, load_default=None)   # outbound, return, hotel_...


@contract("itinerary_cancelled", 1)
class ItineraryCancelled(Schema):
    itinerary_id = fields.String(required=True)
    cost_cents = fields.Integer(required=True, strict=True)


@contract("itinerary_change_requested", 1)
class ItineraryChangeRequested(Schema):
    """Surgery moved (or the return was moved): the agency is asked to change the bookings."""
    itinerary_id = fields.String(required=True)
    arrival_by = fields.Date(required=True)
    departure_date = fields.Date(required=True)


@contract("travel_desk_task_opened", 1)
class TravelDeskTaskOpened(Schema):
    """Something the travel desk must handle by hand (a refused cancellation, a moved rehab end)."""
    itinerary_id = fields.String(required=True)
    task_code = fields.String(required=True)
    part = fields.String(allow_none=True, load_default=None)


@contract("travel_desk_task_resolved", 1)
class TravelDeskTaskResolved(Schema):
    """A conflict or desk task is closed: by the desk, or because its cause went away."""
    itinerary_id = fields.String(required=True)
    kind = fields.String(required=True)                        # conflict | task
    code = fields.String(required=True)
    part = fields.String(allow_none=True, load_default=None)
    conflicts_open = fields.Integer(required=True)             # the itinerary's conflicts still open
    by_desk = fields.Boolean(load_default=False)               # resolved by hand, not by a later fact
