"""The journey service: one read model of every patient's journey, fed by every event."""

from services.journey import catalogue, handlers, models, settings
from services.journey import rpc as api
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


class JourneyService(HealthEndpoints):
    name = "journey"

    uow = Database(models.kernel)
    context = CallContext()

    @rpc(expected_exceptions=EXPECTED)
    def board(self, stage=None, stalled_only=False, limit=200):
        return api.board(self.uow, self.config, stage=stage, stalled_only=stalled_only, limit=limit)

    @rpc(expected_exceptions=EXPECTED)
    def timeline(self, journey_id):
        return api.timeline(self.uow, self.config, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def patient_view(self, journey_id):
        return api.patient_view(self.uow, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def export_fhir(self, journey_id, personal=None):
        return api.export_fhir(self.uow, journey_id, personal)

    @rpc(expected_exceptions=EXPECTED)
    def request_erasure(self, journey_id):
        return api.request_erasure(self.uow, self.config, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def erasure_requests(self, journey_id):
        return api.erasure_requests(self.uow, self.config, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def rebuild_projection(self):
        return handlers.rebuild_projection(self.uow)


def _handler(producer: str, event_type: str):
    """The handler of one (producer, type): every fact is recorded; our own erasure request is answered."""
    if (producer, event_type) == ("journey", catalogue.ERASURE_REQUESTED):
        def handle(self, event):
            handlers.answer_erasure(self.uow, event, settings.load(self.config))
    else:
        def handle(self, event):
            handlers.record_fact(self.uow, event)
    handle.__name__ = handle.__qualname__ = f"on_{producer}_{event_type}"
    return handles(producer, event_type)(handle)


# One handler (and queue) per event type of every contract in shared/contracts.
for _producer, _type in catalogue.consumed():
    setattr(JourneyService, f"on_{_producer}_{_type}", _handler(_producer, _type))
