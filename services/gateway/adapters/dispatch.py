"""Serves one /api request: authenticate, authorise, validate, call (within the RPC timeout,
once per Idempotency-Key), log."""
import hashlib
import logging
import math
import re
import uuid
from dataclasses import dataclass

import eventlet
from werkzeug.exceptions import RequestEntityTooLarge

from services.gateway.adapters import client_address
from services.gateway.adapters.body import load_body, load_query, project
from services.gateway.adapters.errors import (
    API_HEADERS,
    Download,
    MalformedRequest,
    ServiceTimeout,
    error_response,
    json_response,
)
from services.gateway.adapters.routing import STATE_CHANGING, Route
from services.gateway.domain.credentials import LINK, STAFF, Principal
from services.gateway.handlers import access_log, idempotency
from services.gateway.handlers.principals import authorise, identify
from shared.config import section
from shared.errors import Forbidden, TooLarge, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# Bounded and plain: the key is stored, and shapes the command id every service records.
_KEY = re.compile(r"[A-Za-z0-9._:-]{1,128}")
KEY_RULE = "1 to 128 letters, digits or . _ : -"


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
        return client_of(self.service, self.request)

    def log_access(self, journey_id: str, action: str | None = None) -> None:
        """Log a read of one patient's data (for routes listing several patients)."""
        access_log.record(self.service.uow, principal=self.principal, journey_id=journey_id,
                          action=action or self.route.name, method=self.request.method,
                          path=self.request.path, outcome="allowed", status=200)


def dispatch(service, adapter, request, path: str, limiter) -> tuple:
    principal, route, args, key, claim = None, None, {}, None, None
    try:
        route, args = adapter.match("/" + path, method=request.method)
        request_id = request_id_of(request)
        # Events a request causes carry it as cause; the chain they start shares its id.
        service.context["correlation_id"] = request_id
        service.context["causation_id"] = f"request:{request_id}"
        limit = route.limit(service.config)
        wait = limiter.wait(route.name, client_of(service, request), *limit) if limit else 0
        if wait:
            raise TooManyRequests("too many requests; try again later",
                                  retry_after_seconds=math.ceil(wait))
        principal = None if route.public else _authenticate(service, request)
        if principal is not None:
            authorise(principal, route.roles, route.action,
                      journey_id=args.get(route.patient_param) if route.patient_param else None,
                      scope=route.patient_scope)
        if principal:
            service.context["actor"] = principal.actor
        ctx = RequestContext(service, request, principal, _body(route, request),
                             _query(route, request), route)
        if route.takes_idempotency_key:
            key = idempotency_key_of(request)
            claim = key and idempotency.Claim(key, principal_of(principal, client_of(service, request)),
                                              request.method,
                                              _bounded_path(request), _body_hash(service, request))
    except Exception as exc:
        return _refused(service, route, request, principal, args, exc)
    if request.method in STATE_CHANGING:
        # Every RPC of a state-changing request carries a command id: each service records it with
        # the command's effect, so a redelivered command has that effect once (shared/db.py).
        service.context["command_id"] = claim.command_id if key else f"request:{uuid.uuid4()}"
    if not key:
        return _run(service, ctx, args)
    first = []

    def run() -> idempotency.Answer:
        first.append(_run(service, ctx, args))
        status, _headers, body = first[0]
        return idempotency.Answer(status, body)
    try:
        answer, replayed = idempotency.once(service.uow, claim, idempotency.policy(service.config), run)
    except Exception as exc:   # the key is busy (409), was used for another body (422), or no database
        return error_response(exc)
    if not replayed:
        return first[0]
    _log(service, route, request, principal, args, "allowed", answer.status)   # a replay shows data too
    return answer.status, {**API_HEADERS, REPLAYED_HEADER: "true"}, answer.body


def _run(service, ctx: RequestContext, args: dict) -> tuple:
    """Call the route's handler, within the RPC timeout; its answer, or the error's."""
    route, request, principal = ctx.route, ctx.request, ctx.principal
    try:
        with rpc_deadline(service.config):
            result = route.handler(ctx, **args)
    except Exception as exc:
        return _refused(service, route, request, principal, args, exc)
    if isinstance(result, Download):
        _log(service, route, request, principal, args, "allowed", 200)
        return result.response()
    status, payload = result if isinstance(result, tuple) else (route.status, result)
    if route.response is not None:
        payload = project(route.response(), payload, many=route.many)
    _log(service, route, request, principal, args, "allowed", status)
    return json_response(status, payload)


def _refused(service, route, request, principal, args, exc) -> tuple:
    response = error_response(exc)
    if route is not None and isinstance(exc, (Forbidden, Unauthorized)) and not route.public:
        _log(service, route, request, principal, args, "denied", response[0])
    return response


def rpc_deadline(config: dict) -> eventlet.Timeout:
    """GATEWAY rpc_timeout_seconds for the services to answer (nameko's RpcProxy waits forever):
    then ServiceTimeout, which the client sees as a 503 with Retry-After."""
    seconds = float(section(config, "GATEWAY", rpc_timeout_seconds=10)["rpc_timeout_seconds"])
    return eventlet.Timeout(seconds, ServiceTimeout(f"a service did not answer within {seconds:g} seconds"))


def idempotency_key_of(request) -> str | None:
    """The client's Idempotency-Key, if it sent one; MalformedRequest (400) unless it is plain."""
    if IDEMPOTENCY_HEADER not in request.headers:
        return None
    return plain_key(request.headers[IDEMPOTENCY_HEADER], f"the {IDEMPOTENCY_HEADER} header")


def plain_key(key: str, what: str) -> str:
    if not _KEY.fullmatch(key):
        raise MalformedRequest(f"{what} must be {KEY_RULE}")
    return key


def principal_of(principal: Principal | None, client: str) -> str:
    """Whose key it is: a key counts per caller (the public, per address, which is stored hashed)."""
    if principal is not None:
        return f"{principal.kind}:{principal.subject}"[:160]
    return "public:" + hashlib.sha256(client.encode()).hexdigest()[:32]


def _body_hash(service, request) -> str:
    return idempotency.body_hash(service.config["AUTH"]["token_secret"], request.query_string,
                                 request.get_data(cache=True))


def _bounded_path(request) -> str:
    if len(request.path) > 300:
        raise MalformedRequest(f"this path is too long to be sent with an {IDEMPOTENCY_HEADER}")
    return request.path


# A client's own request id is kept only if it looks like one (it ends up in every event it causes).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.fullmatch(given) else str(uuid.uuid4())


def client_of(service, request) -> str:
    """The client's address: the connecting one, or the one a trusted proxy forwards (client_address.py)."""
    return client_address.of_request(request, service.settings.trusted_proxies)


def _authenticate(service, request) -> Principal:
    return identify(service.uow, service.config["AUTH"]["token_secret"], request.headers.get("Authorization"),
                    kinds=(STAFF, LINK))


def _body(route: Route, request):
    raw = read_body(request, route.max_body, route.body_name)
    if route.raw_body:
        return raw
    if route.body is None:
        return None
    return load_body(route.body, raw)


def read_body(request, limit: int, what: str) -> bytes:
    """The body, at most `limit` bytes (werkzeug enforces it while reading); past it our 413,
    naming the limit, instead of the web server's own words."""
    request.max_content_length = limit
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise TooLarge.of(what, limit) from None


def _query(route: Route, request) -> dict:
    if route.query is None:
        return {}
    return load_query(route.query, request.args.to_dict())


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
