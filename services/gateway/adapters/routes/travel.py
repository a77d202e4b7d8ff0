"""Travel: the agency's signed webhooks, and the travel desk's view of itineraries."""
from services.gateway.adapters.errors import MalformedRequest
from services.gateway.adapters.routing import route
from services.gateway.adapters.webhooks import hand_over, verified_event
from services.gateway.domain.roles import INTAKE, PUBLIC, TRAVEL_DESK
from shared.contracts.api import travel as api
from shared.contracts.api.enquiries import passengers
from shared.contracts.api.webhooks import AgencyWebhookReceived, WebhookReceipt
from shared.edge import load
from shared.i18n import N_

SIGNATURE_HEADER = "Agency-Signature"


@route("POST", "/webhooks/travel", roles=PUBLIC, tag="travel", raw_body=True, max_body=256 * 1024,
       summary="Receive a signed travel agency webhook: 200 once it is held durably for travel (even while "
               "travel is down), which acts on it shortly after, once per event id; a passenger the agency "
               "echoes is dropped first",
       patient_param=None, response=WebhookReceipt,
       responses={400: "Bad or stale signature, or not an agency event: nothing was stored",
                  422: "an agency event whose id or type is too long: nothing was stored",
                  503: "the event could not be stored just now (Retry-After); nothing kept, send it again"})
def travel_webhook(ctx):
    event = verified_event(ctx, SIGNATURE_HEADER, "TRAVEL")
    if not isinstance(event.get("data"), dict) or not isinstance(event.get("type"), str):
        raise MalformedRequest("an agency event needs an id, a type and data")
    return hand_over(ctx, AgencyWebhookReceived, load(api.AgencyEventForm, event))


def _json(data: dict) -> dict:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in data.items()}


@route("GET", "/travel/journeys/<uuid:journey_id>/itinerary", roles=TRAVEL_DESK, tag="travel",
       summary="A journey's itinerary with its history, open conflicts and tasks", response=api.ItineraryView,
       action=N_("read an itinerary"))
def travel_itinerary(ctx, journey_id):
    return ctx.rpc("travel").get_itinerary(str(journey_id))


@route("GET", "/travel/desk", roles=TRAVEL_DESK, tag="travel", summary="Open travel conflicts and tasks",
       response=api.TravelDeskTaskView, many=True,
       action=N_("see the travel desk's work"))
def travel_desk(ctx):
    tasks = ctx.rpc("travel").open_tasks()
    for journey in {task["journey_id"] for task in tasks}:
        ctx.log_access(journey)
    return tasks


@route("POST", "/travel/journeys/<uuid:journey_id>/bookings", roles=TRAVEL_DESK, tag="travel",
       summary="Enter a booking made by phone", body=api.PhoneBookingForm,
       response=api.PhoneBookingEntered, status=201,
       action=N_("enter a booking"))
def travel_phone_booking(ctx, journey_id):
    return ctx.rpc("travel").enter_phone_booking(str(journey_id), _json(ctx.body))


@route("POST", "/travel/journeys/<uuid:journey_id>/return", roles=TRAVEL_DESK, tag="travel",
       summary="Move the return flight to another day", body=api.ReturnMoveForm,
       response=api.ReturnMoved,
       action=N_("move a return flight"))
def travel_move_return(ctx, journey_id):
    return ctx.rpc("travel").move_return(str(journey_id), _json(ctx.body))


@route("PUT", "/travel/journeys/<uuid:journey_id>/home-airport", roles=TRAVEL_DESK, tag="travel",
       summary="Set the airport the patient flies from", body=api.HomeAirportForm,
       response=api.HomeAirportSet,
       action=N_("set a home airport"))
def travel_home_airport(ctx, journey_id):
    return ctx.rpc("travel").set_home_airport(str(journey_id), ctx.body)


@route("POST", "/travel/journeys/<uuid:journey_id>/tasks/<int:task_id>/resolve", roles=TRAVEL_DESK,
       tag="travel", summary="Resolve a travel conflict or task", body=api.TaskResolutionForm,
       response=api.TaskResolved,
       action=N_("resolve a travel task"))
def travel_resolve_task(ctx, journey_id, task_id):
    return ctx.rpc("travel").resolve_task(str(journey_id), task_id, ctx.body)


# The passenger's identity is the enquiries stage's (it owns a person's identity); travel asks for it
# itself when it books. The desk and intake record or correct it here.
PASSENGER_STAFF = frozenset({TRAVEL_DESK, INTAKE})


@route("GET", "/journeys/<uuid:journey_id>/passenger", roles=PASSENGER_STAFF, tag="travel",
       summary="The passenger's name as on the passport, date of birth and nationality",
       response=passengers.PassengerIdentityView,
       responses={409: "The passenger's details are not (all) recorded yet"},
       action=N_("read a passenger's identity"))
def passenger_identity(ctx, journey_id):
    return ctx.rpc("enquiries").passenger_identity(str(journey_id))


@route("PUT", "/journeys/<uuid:journey_id>/passenger", roles=PASSENGER_STAFF, tag="travel",
       summary="Record or correct the passenger's name as on the passport and nationality",
       body=passengers.PassengerIdentityForm, response=passengers.PassengerIdentityRecorded,
       action=N_("record a passenger's identity"))
def record_passenger_identity(ctx, journey_id):
    return ctx.rpc("enquiries").record_passenger_identity(str(journey_id), _json(ctx.body))
