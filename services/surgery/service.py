"""The surgery service: the operating calendar and the clinical stay up to the hotel."""
from nameko.dependency_providers import Config

from services.surgery import clinical, handlers, models, planner, queries, schemas, views
from services.surgery.settings import Settings
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


class SurgeryService(HealthEndpoints):
    name = "surgery"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    settings = Settings()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        handlers.record_acceptance(self.uow, self.settings, event)

    @handles("payments", "deposit_paid")
    def on_deposit_paid(self, event):
        handlers.record_deposit(self.uow, self.settings, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        handlers.confirm_erasure(self.uow, event)

    @rpc(expected_exceptions=EXPECTED)
    def get_case(self, journey_id):
        """The journey's surgery case: status, plan and clinical record."""
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def get_calendar(self, query):
        """Booked, free and closed operating days from start to end."""
        query = schemas.load(schemas.CalendarQuery, query)
        with self.uow as uow:
            days = queries.calendar_view(uow.session, self.settings, query["start"], query["end"])
        return views.CalendarDayOut(many=True).dump(days)

    @rpc(expected_exceptions=EXPECTED)
    def schedule(self, journey_id, command):
        """Book a blocked case (a planner's action)."""
        planner.schedule(self.uow, self.settings, journey_id, schemas.load(schemas.Schedule, command))
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def reschedule(self, journey_id, command):
        planner.reschedule(self.uow, self.settings, journey_id, schemas.load(schemas.Reschedule, command))
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def cancel(self, journey_id, command):
        planner.cancel(self.uow, journey_id, schemas.load(schemas.Cancel, command))
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def record_preop_check(self, journey_id, check):
        check = schemas.load(schemas.PreopCheckIn, check)
        clinical.record_preop_check(self.uow, self.settings, journey_id, check)
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def record_operation(self, journey_id, operation):
        clinical.record_operation(self.uow, journey_id, schemas.load(schemas.OperationIn, operation))
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def record_ward_visit(self, journey_id, visit):
        visit = schemas.load(schemas.WardVisitIn, visit)
        clinical.record_ward_visit(self.uow, self.settings, journey_id, visit)
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def record_image(self, journey_id, image):
        clinical.record_image(self.uow, journey_id, schemas.load(schemas.ImageIn, image))
        return self._case(journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def discharge(self, journey_id, command):
        clinical.discharge(self.uow, self.settings, journey_id, schemas.load(schemas.DischargeIn, command))
        return self._case(journey_id)

    def _case(self, journey_id):
        with self.uow as uow:
            return views.CaseOut().dump(queries.case_view(uow.session, journey_id))
