"""The gateway: the one public HTTP port of Carepath."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.web.handlers import http

from services.gateway import models
from services.gateway.adapters import docs, pages, ui  # noqa: F401  (pages: registers them)
from services.gateway.adapters.dispatch import dispatch
from services.gateway.adapters.ratelimit import RateLimiter
from services.gateway.handlers import audit, idempotency, message_links
from services.gateway.settings import parse
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.notifications import PatientLinkIssued, PatientLinkRequest
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.handoff import Handoff
from shared.health import HealthEndpoints
from shared.settings import Settings

ANY = "GET,POST,PUT,PATCH,DELETE"


class GatewayService(HealthEndpoints):
    name = "gateway"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    limiter = RateLimiter()
    handoff = Handoff()          # verified webhooks to their service's queue, with publisher confirms
    settings = Settings(parse)   # refuses to start in the open with the committed token secret

    enquiries_rpc = RpcProxy("enquiries")
    payments_rpc = RpcProxy("payments")
    surgery_rpc = RpcProxy("surgery")
    rehabilitation_rpc = RpcProxy("rehabilitation")
    travel_rpc = RpcProxy("travel")
    followup_rpc = RpcProxy("followup")
    journey_rpc = RpcProxy("journey")
    notifications_rpc = RpcProxy("notifications")

    @http(ANY, "/api/<path:path>")
    def api(self, request, path):
        """Every API call goes through the route table (services/gateway/adapters/routes)."""
        return dispatch(self, docs.URL_MAP.bind("localhost"), request, path, self.limiter)

    @http("GET,POST", "/ui/<path:path>")
    def pages(self, request, path):
        """Staff web pages (services/gateway/adapters/ui.py)."""
        return ui.serve(self, request, path)

    @http("GET,POST", "/p/<path:path>")
    def portal(self, request, path):
        """The patient portal (services/gateway/adapters/portal.py): the same pages machinery."""
        return ui.serve(self, request, "p/" + path)

    @rpc(expected_exceptions=EXPECTED)
    def issue_patient_link(self, journey_id, request):
        """A personal link for a message to the patient (notifications asks at send time)."""
        purpose = load(PatientLinkRequest, request)["purpose"]
        issued = message_links.issue_for_message(self.uow, self.config, journey_id, purpose)
        return dump(PatientLinkIssued, issued)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        """An erased or purged journey: the answers kept for repeated requests are forgotten, and the
        terms of the searches that showed this person blanked (the access log's chain stays whole). The
        gateway is not among the services an erasure waits for (JOURNEY.erasure_services): no answer."""
        idempotency.forget_answers_of(self.uow, event.journey_id)
        audit.erase_personal_detail(self.uow, event.journey_id)

    @http("GET", "/openapi.json")
    def openapi(self, request):
        return docs.openapi_document()

    @http("GET", "/docs")
    def docs(self, request):
        return docs.docs_page()

    @http("GET", "/docs/static/<string:name>")
    def docs_static(self, request, name):
        return docs.swagger_asset(name)
