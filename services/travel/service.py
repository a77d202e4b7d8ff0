"""TravelService: flights and hotels for the whole stay, through the travel agency."""
from nameko.dependency_providers import Config

from services.travel import desk, handlers, models, schemas, sender, webhooks
from services.travel.agency import Agency
from services.travel.background import every
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


class TravelService(HealthEndpoints):
    name = "travel"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    agency = Agency()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        handlers.remember_traveller(self.uow, event)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        handlers.request_itinerary(self.uow, event, handlers.Settings(self.config))

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        handlers.change_itinerary(self.uow, event, handlers.Settings(self.config))

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        handlers.cancel_itinerary(self.uow, event)

    @handles("rehabilitation", "rehab_completed")
    def on_rehab_completed(self, event):
        handlers.note_rehab_end(self.uow, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        handlers.confirm_erasure(self.uow, event)

    @every("tick_seconds", 1.0)
    def work_with_agency(self):
        """Act on stored agency webhooks, then send the agency requests that are due."""
        webhooks.process_stored(self.uow)
        sender.send_due(self.uow, self.agency, sender.RetryPolicy.from_config(self.config))

    @rpc(expected_exceptions=EXPECTED)
    def store_agency_event(self, event):
        """Store a verified agency webhook (once per event id); it is acted on right after."""
        event = schemas.load(schemas.AgencyEventIn, event)
        return {"stored": webhooks.store_event(self.uow, event)}

    @rpc(expected_exceptions=EXPECTED)
    def get_itinerary(self, journey_id):
        return desk.get_itinerary(self.uow, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def open_tasks(self):
        return desk.open_tasks(self.uow)

    @rpc(expected_exceptions=EXPECTED)
    def enter_phone_booking(self, journey_id, booking):
        return desk.enter_phone_booking(self.uow, journey_id, booking)

    @rpc(expected_exceptions=EXPECTED)
    def move_return(self, journey_id, move):
        return desk.move_return(self.uow, journey_id, move, handlers.Settings(self.config))

    @rpc(expected_exceptions=EXPECTED)
    def set_home_airport(self, journey_id, airport):
        return desk.set_home_airport(self.uow, journey_id, airport, handlers.Settings(self.config))

    @rpc(expected_exceptions=EXPECTED)
    def resolve_task(self, journey_id, task_id, resolution):
        return desk.resolve_task(self.uow, journey_id, task_id, resolution)
