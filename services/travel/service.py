"""TravelService: flights and hotels for the whole stay, through the travel agency."""
from services.travel import models
from services.travel.adapters import sender
from services.travel.adapters.agency import Agency
from services.travel.adapters.passengers import Passengers
from services.travel.adapters.timer import every_tick
from services.travel.handlers import agency_events, agency_requests, desk, erasure, planning, views
from services.travel.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api import travel as api
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class TravelService(HealthEndpoints):
    name = "travel"

    uow = Database(models.kernel)
    settings = Settings(parse)
    clock = Clock()
    context = CallContext()
    agency = Agency()
    passengers = Passengers()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        planning.remember_traveller(self.uow, event)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        planning.request_itinerary(self.uow, self.clock, event, self.settings)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        planning.change_itinerary(self.uow, self.clock, event, self.settings)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        planning.cancel_itinerary(self.uow, self.clock, event)

    @handles("rehabilitation", "rehab_completed")
    def on_rehab_completed(self, event):
        planning.note_rehab_end(self.uow, self.clock, event)

    @handles("enquiries", "passenger_identity_recorded")
    def on_passenger_identity_recorded(self, event):
        agency_requests.passenger_recorded(self.uow, self.clock, event.journey_id)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.erase_traveller(self.uow, event)

    @every_tick
    def work_with_agency(self):
        """Act on stored agency webhooks, then send the agency requests that are due."""
        agency_events.process_stored(self.uow, self.clock, self.settings.agency_actor)
        sender.send_due(self.uow, self.clock, self.agency, self.passengers, self.settings)

    @handles("gateway", "agency_webhook_received")
    def on_agency_webhook(self, event):
        """Store an agency webhook the gateway verified and handed over (once: the inbox, by the
        agency's event id); it is acted on at the next tick."""
        agency_events.store_event(self.uow, self.clock, load(api.AgencyEventForm, event.payload["event"]))

    @rpc(expected_exceptions=EXPECTED)
    def get_itinerary(self, journey_id):
        """The journey's latest itinerary with its bookings, history, open conflicts and tasks."""
        return dump(api.ItineraryView, views.get_itinerary(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def open_tasks(self):
        """The travel desk's work queue: every open conflict and task, oldest first."""
        return dump(api.TravelDeskTaskView, views.open_tasks(self.uow), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def enter_phone_booking(self, journey_id, booking):
        """Record a booking the desk made by phone."""
        entered = desk.enter_phone_booking(self.uow, self.clock, journey_id,
                                           load(api.PhoneBookingForm, booking))
        return dump(api.PhoneBookingEntered, entered)

    @rpc(expected_exceptions=EXPECTED)
    def move_return(self, journey_id, move):
        """Move the return flight to another day."""
        departure = load(api.ReturnMoveForm, move)["departure_date"]
        return dump(api.ReturnMoved, desk.move_return(self.uow, self.clock, journey_id, departure,
                                                      self.settings))

    @rpc(expected_exceptions=EXPECTED)
    def set_home_airport(self, journey_id, airport):
        """Set the airport the patient flies from."""
        chosen = load(api.HomeAirportForm, airport)["airport"]
        return dump(api.HomeAirportSet, desk.set_home_airport(self.uow, self.clock, journey_id, chosen,
                                                              self.settings))

    @rpc(expected_exceptions=EXPECTED)
    def resolve_task(self, journey_id, task_id, resolution):
        """Close a conflict or task (with the cost of a cancellation made by phone)."""
        cost = load(api.TaskResolutionForm, resolution)["cost_cents"]
        return dump(api.TaskResolved, desk.resolve_task(self.uow, self.clock, journey_id, task_id, cost))
