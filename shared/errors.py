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


class TooLarge(CarepathError):
    """The request body is larger than the endpoint accepts (413); the message names the limit."""

    @classmethod
    def of(cls, what: str, limit_bytes: int) -> "TooLarge":
        """e.g. TooLarge.of("file", 20 * 1024 * 1024): "the file is larger than the 20 MB limit"."""
        return cls(f"the {what} is larger than the {size_text(limit_bytes)} limit", limit_bytes=limit_bytes)


class Unavailable(CarepathError):
    """Something this request needs (an archive, a provider) cannot be reached just now (503);
    the caller may try again after `retry_after_seconds`."""

    def __init__(self, message: str, retry_after_seconds: int = 30, **details):
        super().__init__(message, retry_after_seconds=retry_after_seconds, **details)


def size_text(n_bytes: int) -> str:
    """A size as people read it: 20 MB, 256 KB, 1.5 MB, 900 bytes (binary units, as limits are set)."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n_bytes >= size:
            return f"{round(n_bytes / size, 1):g} {unit}"
    return f"{n_bytes} bytes"


EXPECTED = (NotFound, Invalid, Conflict, Forbidden, Unauthorized, TooManyRequests, TooLarge, Unavailable)


def sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and a full stop (or its own ? or !) at the end.

    Services raise short clauses ("the date is in the future"); the gateway tells every caller
    a sentence ("The date is in the future."), in one place (its error mapper)."""
    text = " ".join(str(text).split())
    if not text:
        return text
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".?!" else text.rstrip(":;,") + "."


def parse_message(text: str) -> dict:
    """The JSON body of a CarepathError's message, or the plain text as message."""
    try:
        parsed = json.loads(text)
    except (TypeError, ValueError):
        return {"message": text}
    return parsed if isinstance(parsed, dict) else {"message": text}
