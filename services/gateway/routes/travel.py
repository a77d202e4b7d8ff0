"""Travel: the agency's signed webhooks, and the travel desk's view of itineraries."""
import hashlib
import hmac
import json
import time

from marshmallow import Schema, fields, validate

from services.gateway.errors import MalformedRequest
from services.gateway.roles import PUBLIC, TRAVEL_DESK
from services.gateway.routing import route

SIGNATURE_HEADER = "Agency-Signature"
PARTS = ("outbound", "hotel_preop", "hotel_stay", "return")
AIRPORT = validate.Regexp(r"^[A-Za-z]{3}$", error="an IATA airport code of three letters")


class InvalidSignature(MalformedRequest):
    """The webhook's signature is missing, wrong or too old (400): nothing is stored."""


def verify_signature(header: str | None, body: bytes, secrets: list[str], tolerance: int, now: float) -> None:
    """Check `t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` against every current secret."""
    items = [item.split("=", 1) for item in (header or "").split(",") if "=" in item]
    stamps = [value for key, value in items if key.strip() == "t"]
    signatures = [value.strip() for key, value in items if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not signatures:
        raise InvalidSignature("the Agency-Signature header is missing or malformed")
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("the webhook's timestamp is outside the tolerance")
    signed = f"{timestamp}.".encode() + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return
    raise InvalidSignature("the webhook's signature does not match")


def _agency_event(body: bytes) -> dict:
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("the body is not valid JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict) or not event.get("id"):
        raise MalformedRequest("an agency event needs an id, a type and data")
    return event


class WebhookReceipt(Schema):
    received = fields.Boolean()
    duplicate = fields.Boolean()


@route("POST", "/webhooks/travel", roles=PUBLIC, summary="Receive a signed travel agency webhook",
       tag="travel", raw_body=True, max_body=256 * 1024, patient_param=None, response=WebhookReceipt,
       responses={400: "Bad or stale signature, or not an agency event: nothing was stored"})
def travel_webhook(ctx):
    settings = ctx.config.get("TRAVEL") or {}
    secrets = [s.strip() for s in str(settings.get("webhook_secrets", "")).split(",") if s.strip()]
    verify_signature(ctx.request.headers.get(SIGNATURE_HEADER), ctx.body, secrets,
                     int(settings.get("webhook_tolerance_seconds", 300)), time.time())
    stored = ctx.rpc("travel").store_agency_event(_agency_event(ctx.body))["stored"]
    return {"received": True, "duplicate": not stored}


class TravelBooking(Schema):
    id = fields.String()
    part = fields.String()
    kind = fields.String()
    source = fields.String()
    status = fields.String()
    current = fields.Boolean()
    origin = fields.String(allow_none=True)
    destination = fields.String(allow_none=True)
    wanted_start = fields.String()
    wanted_end = fields.String()
    booked_start = fields.String(allow_none=True)
    booked_end = fields.String(allow_none=True)
    order_id = fields.String(allow_none=True)
    confirmation_code = fields.String(allow_none=True)
    cost_cents = fields.Integer()


class TravelHistoryEntry(Schema):
    at = fields.String()
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    actor = fields.String()


class TravelDeskTask(Schema):
    id = fields.Integer()
    journey_id = fields.String()
    itinerary_id = fields.String()
    kind = fields.String(metadata={"description": "conflict or task"})
    code = fields.String()
    part = fields.String(allow_none=True)
    details = fields.Dict()
    status = fields.String()
    opened_at = fields.String()


class TravelItinerary(Schema):
    id = fields.String()
    journey_id = fields.String()
    status = fields.String()
    confirmed = fields.Boolean()
    arrival_by = fields.String()
    preop_check_date = fields.String()
    surgery_date = fields.String()
    planned_ward_discharge = fields.String()
    planned_rehab_end = fields.String()
    rehab_completed_on = fields.String(allow_none=True)
    departure_date = fields.String()
    home_airport = fields.String(allow_none=True)
    bookings = fields.List(fields.Nested(TravelBooking))
    history = fields.List(fields.Nested(TravelHistoryEntry))
    conflicts = fields.List(fields.Nested(TravelDeskTask))
    tasks = fields.List(fields.Nested(TravelDeskTask))


class PhoneBooking(Schema):
    part = fields.String(required=True, validate=validate.OneOf(PARTS))
    confirmation_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    start = fields.Date(required=True, metadata={"description": "departure day, or hotel check-in"})
    end = fields.Date(load_default=None, metadata={"description": "arrival day, or hotel check-out"})
    origin = fields.String(load_default=None, validate=AIRPORT)
    destination = fields.String(load_default=None, validate=AIRPORT)


class ReturnMove(Schema):
    departure_date = fields.Date(required=True)


class HomeAirport(Schema):
    airport = fields.String(required=True, validate=AIRPORT)


class TaskResolution(Schema):
    cost_cents = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=0),
                                metadata={"description": "what a cancellation made by phone cost"})


def _json(data: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in data.items()}


@route("GET", "/travel/journeys/<uuid:journey_id>/itinerary", roles=TRAVEL_DESK, tag="travel",
       summary="A journey's itinerary with its history, open conflicts and tasks", response=TravelItinerary)
def travel_itinerary(ctx, journey_id):
    return ctx.rpc("travel").get_itinerary(str(journey_id))


@route("GET", "/travel/desk", roles=TRAVEL_DESK, tag="travel", summary="Open travel conflicts and tasks",
       response=TravelDeskTask, many=True)
def travel_desk(ctx):
    tasks = ctx.rpc("travel").open_tasks()
    for journey in {task["journey_id"] for task in tasks}:
        ctx.log_access(journey)
    return tasks


@route("POST", "/travel/journeys/<uuid:journey_id>/bookings", roles=TRAVEL_DESK, tag="travel",
       summary="Enter a booking made by phone", body=PhoneBooking, status=201)
def travel_phone_booking(ctx, journey_id):
    return ctx.rpc("travel").enter_phone_booking(str(journey_id), _json(ctx.body))


@route("POST", "/travel/journeys/<uuid:journey_id>/return", roles=TRAVEL_DESK, tag="travel",
       summary="Move the return flight to another day", body=ReturnMove)
def travel_move_return(ctx, journey_id):
    return ctx.rpc("travel").move_return(str(journey_id), _json(ctx.body))


@route("PUT", "/travel/journeys/<uuid:journey_id>/home-airport", roles=TRAVEL_DESK, tag="travel",
       summary="Set the airport the patient flies from", body=HomeAirport)
def travel_home_airport(ctx, journey_id):
    return ctx.rpc("travel").set_home_airport(str(journey_id), ctx.body)


@route("POST", "/travel/journeys/<uuid:journey_id>/tasks/<int:task_id>/resolve", roles=TRAVEL_DESK,
       tag="travel", summary="Resolve a travel conflict or task", body=TaskResolution)
def travel_resolve_task(ctx, journey_id, task_id):
    return ctx.rpc("travel").resolve_task(str(journey_id), task_id, ctx.body)
