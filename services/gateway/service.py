"""The gateway: the one public HTTP port of Carepath."""
import json
import mimetypes
from pathlib import Path

import swagger_ui_bundle
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from services.gateway import models, ui
from services.gateway.dispatch import dispatch
from services.gateway.openapi import build_spec
from services.gateway.ratelimit import RateLimiter
from services.gateway.routing import load_routes, url_map
from services.gateway.settings import parse
from shared.context import CallContext
from shared.db import Database
from shared.health import HealthEndpoints
from shared.settings import Settings

ROUTES = load_routes()
URL_MAP = url_map(ROUTES)
SPEC = json.dumps(build_spec(ROUTES))
SWAGGER_DIR = Path(swagger_ui_bundle.swagger_ui_path)
DOCS_PAGE = (Path(__file__).parent / "docs.html").read_text()
ANY = "GET,POST,PUT,PATCH,DELETE"


class GatewayService(HealthEndpoints):
    name = "gateway"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    limiter = RateLimiter()
    settings = Settings(parse)   # refuses to start in the open with the committed token secret

    enquiries_rpc = RpcProxy("enquiries")
    payments_rpc = RpcProxy("payments")
    surgery_rpc = RpcProxy("surgery")
    rehabilitation_rpc = RpcProxy("rehabilitation")
    travel_rpc = RpcProxy("travel")
    followup_rpc = RpcProxy("followup")
    journey_rpc = RpcProxy("journey")

    @http(ANY, "/api/<path:path>")
    def api(self, request, path):
        """Every API call goes through the route table (services/gateway/routes)."""
        return dispatch(self, URL_MAP.bind("localhost"), request, path, self.limiter)

    @http("GET,POST", "/ui/<path:path>")
    def pages(self, request, path):
        """Staff web pages (services/gateway/ui.py)."""
        return ui.serve(self, request, path)

    @http("GET", "/openapi.json")
    def openapi(self, request):
        return 200, {"Content-Type": "application/json"}, SPEC

    @http("GET", "/docs")
    def docs(self, request):
        return 200, {"Content-Type": "text/html; charset=utf-8"}, DOCS_PAGE

    @http("GET", "/docs/static/<string:name>")
    def docs_static(self, request, name):
        target = SWAGGER_DIR / name
        if "/" in name or not target.is_file():
            return 404, "not found"
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return Response(target.read_bytes(), content_type=content_type)
