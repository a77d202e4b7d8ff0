"""Serves one /api request: authenticate, authorise, validate, call, log."""
import json
import logging
import math
import uuid
from dataclasses import dataclass

from marshmallow import RAISE

from services.gateway import access_log
from services.gateway.auth import Principal, read_token
from services.gateway.errors import MalformedRequest, error_response, json_response
from services.gateway.roles import PATIENT
from services.gateway.routing import Route
from shared.errors import Forbidden, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)


@dataclass
class RequestContext:
    """What a route handler gets: the caller, the validated input, and the services."""
    service: object
    request: object
    principal: Principal | None
    body: object
    query: dict
    route: Route

    def rpc(self, name: str):
        """The RPC proxy of a service, e.g. ctx.rpc("payments").record_transfer(...)."""
        return getattr(self.service, f"{name}_rpc")

    @property
    def config(self) -> dict:
        return self.service.config

    @property
    def client_ip(self) -> str:
        return self.request.remote_addr or "unknown"

    def log_access(self, journey_id: str, action: str | None = None) -> None:
        """Log a read of one patient's data (for routes listing several patients)."""
        access_log.record(self.service.uow, principal=self.principal, journey_id=journey_id,
                          action=action or self.route.name, method=self.request.method,
                          path=self.request.path, outcome="allowed", status=200)


def dispatch(service, adapter, request, path: str, limiter) -> tuple:
    principal, route, args = None, None, {}
    try:
        route, args = adapter.match("/" + path, method=request.method)
        request_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        # Events a request causes carry it as cause; the chain they start shares its id.
        service.context["correlation_id"] = request_id
        service.context["causation_id"] = f"request:{request_id}"
        wait = limiter.wait(route.name, _client(request), *route.rate_limit) if route.rate_limit else 0
        if wait:
            raise TooManyRequests("too many requests; try again later",
                                  retry_after_seconds=math.ceil(wait))
        principal = None if route.public else _authenticate(service, request)
        _authorise(route, principal, args)
        if principal:
            service.context["actor"] = principal.actor
        ctx = RequestContext(service, request, principal, _body(route, request),
                             _query(route, request), route)
        result = route.handler(ctx, **args)
    except Exception as exc:
        response = error_response(exc)
        if isinstance(exc, TooManyRequests):
            response[1]["Retry-After"] = str(exc.details["retry_after_seconds"])
        if route is not None and isinstance(exc, (Forbidden, Unauthorized)) and not route.public:
            _log(service, route, request, principal, args, "denied", response[0])
        return response
    status, payload = result if isinstance(result, tuple) else (route.status, result)
    if route.response is not None:
        payload = route.response(many=route.many).dump(payload)
    _log(service, route, request, principal, args, "allowed", status)
    return json_response(status, payload)


def _client(request) -> str:
    return request.remote_addr or "unknown"


def _authenticate(service, request) -> Principal:
    return read_token(service.config["AUTH"]["token_secret"], request.headers.get("Authorization"))


def _authorise(route: Route, principal: Principal | None, args: dict) -> None:
    if route.public:
        return
    if principal.role not in route.roles:
        raise Forbidden(f"role {principal.role} may not {route.summary.lower()}")
    if principal.role == PATIENT:
        journey = args.get(route.patient_param) if route.patient_param else None
        if journey is None or str(journey) != principal.journey_id:
            raise Forbidden("this link is for another patient's journey")


def _body(route: Route, request):
    if route.raw_body:
        request.max_content_length = route.max_body
        return request.get_data(cache=True)
    if route.body is None:
        return None
    request.max_content_length = route.max_body
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise MalformedRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedRequest("the body must be a JSON object")
    return route.body().load(data, unknown=RAISE)


def _query(route: Route, request) -> dict:
    if route.query is None:
        return {}
    return route.query().load(request.args.to_dict(), unknown=RAISE)


def _log(service, route, request, principal, args, outcome, status) -> None:
    journey = args.get(route.patient_param) if route.patient_param else None
    if journey is None and outcome == "allowed":
        return  # only patient data is access-logged; every refusal is
    try:
        access_log.record(service.uow, principal=principal, journey_id=str(journey) if journey else None,
                          action=route.name, method=request.method, path=request.path,
                          outcome=outcome, status=status)
    except Exception:
        log.exception("could not write the access log")
        raise
