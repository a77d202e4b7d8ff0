"""Typed errors to HTTP, in one place, for the API and the pages alike.

Nothing unexpected leaks a stack trace: an unknown error is a 500 with no detail,
logged; a service that is down or does not answer in time is a 503 with Retry-After.
"""
import json
import logging
from dataclasses import dataclass, field

from marshmallow import ValidationError
from nameko.exceptions import RemoteError, UnknownService
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from shared.errors import CarepathError, parse_message, sentence

log = logging.getLogger(__name__)

STATUS_BY_ERROR = {
    "Invalid": 422,
    "NotFound": 404,
    "Conflict": 409,
    "Forbidden": 403,
    "Unauthorized": 401,
    "TooManyRequests": 429,
    "ValidationError": 422,
    "MalformedRequest": 400,
    "TooLarge": 413,
    "Unavailable": 503,   # a dependency of the service (an archive, a provider) is down: Retry-After
}
# Answers may hold health data: no cache, shared or private, keeps a copy.
API_HEADERS = {"Content-Type": "application/json", "Cache-Control": "no-store",
               "X-Content-Type-Options": "nosniff"}


class MalformedRequest(CarepathError):
    """The request could not be read (bad JSON, wrong content type, a malformed Idempotency-Key)."""


class ServiceTimeout(Exception):
    """A service did not answer within the gateway's RPC timeout (GATEWAY rpc_timeout_seconds)."""


@dataclass
class Failure:
    """What went wrong, as the client is told: status, a code, a sentence, and any details."""
    status: int
    code: str
    message: str
    details: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def classify(exc: Exception) -> Failure:
    """The one mapping of an exception raised while serving a request to what the client sees;
    its message is always a sentence, whoever raised it."""
    failure = _classify(exc)
    failure.message = sentence(failure.message)
    return failure


def _classify(exc: Exception) -> Failure:
    if isinstance(exc, RequestEntityTooLarge):   # werkzeug's own words are not ours; a route's are kept
        own = exc.description != RequestEntityTooLarge.description
        return Failure(413, "too_large", exc.description if own else
                       "the request body is larger than this endpoint accepts")
    if isinstance(exc, HTTPException):
        return Failure(exc.code, exc.name.lower().replace(" ", "_"), exc.description)
    if isinstance(exc, ValidationError):
        return Failure(422, "invalid", "the request has invalid fields", {"fields": exc.messages})
    if isinstance(exc, CarepathError):
        name, body = type(exc).__name__, {"message": exc.message, **exc.details}
    elif isinstance(exc, RemoteError) and exc.exc_type in STATUS_BY_ERROR:
        name, body = exc.exc_type, parse_message(exc.value)
    elif isinstance(exc, UnknownService):
        log.error("a service is not running: %s", exc)
        return Failure(503, "unavailable", "a service needed for this request is not running; try again soon",
                       headers={"Retry-After": "5"})
    elif isinstance(exc, ServiceTimeout):
        log.error("%s", exc)
        return Failure(503, "unavailable", "a service needed for this request did not answer in time; "
                       "try again soon (with the same Idempotency-Key, it has its effect once)",
                       headers={"Retry-After": "5"})
    else:
        log.exception("unexpected error while serving a request")
        return Failure(500, "internal", "internal error")
    message = body.pop("message", "") or name
    failure = Failure(STATUS_BY_ERROR.get(name, 400), _code(name), message, body)
    if "retry_after_seconds" in body:
        failure.headers["Retry-After"] = str(body["retry_after_seconds"])
    return failure


@dataclass(frozen=True)
class Download:
    """A route's answer that is a file, not JSON (an audit's CSV)."""
    content_type: str
    filename: str
    body: str

    def response(self) -> tuple:
        return 200, {**API_HEADERS, "Content-Type": self.content_type,
                     "Content-Disposition": f'attachment; filename="{self.filename}"'}, self.body


def json_response(status: int, body, headers: dict | None = None) -> tuple:
    merged = {**API_HEADERS, **(headers or {})}
    if status == 204:
        return status, merged, ""
    return status, merged, json.dumps(body, default=_json_value)


def _json_value(value) -> str:
    """Dates and instants as ISO 8601 (with their offset); ids and decimals as text."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def error_response(exc: Exception) -> tuple:
    """The (status, headers, body) for an exception raised while serving an API request."""
    failure = classify(exc)
    return json_response(failure.status, {"error": failure.code, "message": failure.message,
                                          **failure.details}, failure.headers)


def _code(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
