"""Typed errors to HTTP, in one place. Nothing unexpected leaks a stack trace."""
import json
import logging

from marshmallow import ValidationError
from nameko.exceptions import RemoteError, UnknownService
from werkzeug.exceptions import HTTPException

from shared.errors import CarepathError, parse_message

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
}


class MalformedRequest(CarepathError):
    """The request could not be read (bad JSON, wrong content type)."""


def json_response(status: int, body) -> tuple:
    return status, {"Content-Type": "application/json"}, json.dumps(body, default=str)


def error_response(exc: Exception) -> tuple:
    """The (status, headers, body) for an exception raised while serving a request."""
    if isinstance(exc, HTTPException):
        return json_response(exc.code, {"error": exc.name.lower().replace(" ", "_"),
                                        "message": exc.description})
    if isinstance(exc, ValidationError):
        return json_response(422, {"error": "invalid", "message": "the request has invalid fields",
                                   "fields": exc.messages})
    if isinstance(exc, CarepathError):
        name, body = type(exc).__name__, {"message": exc.message, **exc.details}
    elif isinstance(exc, RemoteError) and exc.exc_type in STATUS_BY_ERROR:
        name, body = exc.exc_type, parse_message(exc.value)
    elif isinstance(exc, UnknownService):
        log.error("a service is not running: %s", exc)
        return json_response(503, {"error": "unavailable",
                                   "message": "a service needed for this request is not running"})
    else:
        log.exception("unexpected error while serving a request")
        return json_response(500, {"error": "internal", "message": "internal error"})
    status = STATUS_BY_ERROR.get(name, 400)
    return json_response(status, {"error": _code(name), **body})


def _code(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
