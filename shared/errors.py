"""Expected errors a service raises to its caller.

They cross RPC by class name (nameko's RemoteError.exc_type) with a JSON
message, and the gateway maps each name to one HTTP status, in one table.
"""
import json


class CarepathError(Exception):
    """Base of the errors a caller is expected to handle.

    `details` (e.g. per-field messages) travel with the message as JSON.
    """

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return json.dumps({"message": self.message, **self.details}, default=str)


class NotFound(CarepathError):
    """The record asked for does not exist (404)."""


class Invalid(CarepathError):
    """The request is well-formed but breaks a rule or a schema (422)."""


class Conflict(CarepathError):
    """The request does not fit the record's current state (409)."""


class Forbidden(CarepathError):
    """The caller may not do this (403)."""


class Unauthorized(CarepathError):
    """The caller could not be identified (401)."""


class TooManyRequests(CarepathError):
    """The caller sent too many requests (429)."""


EXPECTED = (NotFound, Invalid, Conflict, Forbidden, Unauthorized, TooManyRequests)


def parse_message(text: str) -> dict:
    """The JSON body of a CarepathError's message, or the plain text as message."""
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        return {"message": text}
    return parsed if isinstance(parsed, dict) else {"message": text}
