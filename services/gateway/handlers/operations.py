"""Administrators' operations, for the API's routes (adapters/routes/operations.py, notifications.py) and
the operations page (adapters/pages/operations.py) alike: every service's dead letters, listed, shown,
replayed and discarded (the gateway's own read here, every other service's over RPC, shared/operations.py),
and the emails notifications parked. A letter is its envelope and error, never its payload.

The page asks every service at once, each in a green thread with a short timeout: a service that does not
answer is listed as such, and the others' letters still show."""
import logging

import eventlet

from shared import operations
from shared.contracts.api.operations import SERVICES
from shared.errors import NotFound

log = logging.getLogger(__name__)
NOTIFICATIONS = "notifications"


def letters(gateway, service: str, status: str = "parked") -> list[dict]:
    if _own(gateway, service):
        return operations.letters(service, gateway.uow._store, status)
    return _rpc(gateway, service).dead_letters(status)


def letter(gateway, service: str, letter_id: int) -> dict:
    if _own(gateway, service):
        return operations.letter(service, gateway.uow._store, letter_id)
    return _rpc(gateway, service).dead_letter(letter_id)


def replay(gateway, service: str, letter_id: int) -> dict:
    """Put a parked letter back on its handler's queue (Conflict if it is not parked)."""
    if _own(gateway, service):
        return operations.replay(service, gateway.uow._store, gateway.config["AMQP_URI"], letter_id)
    return _rpc(gateway, service).replay_dead_letter(letter_id)


def discard(gateway, service: str, letter_id: int) -> dict:
    """Mark a parked letter discarded: it is kept, and never replayed (Conflict if it is not parked)."""
    if _own(gateway, service):
        return operations.discard(service, gateway.uow._store, letter_id)
    return _rpc(gateway, service).discard_dead_letter(letter_id)


def parked_mail(gateway) -> list[dict]:
    return _rpc(gateway, NOTIFICATIONS).parked_messages()


def retry_mail(gateway, message_id: str) -> dict:
    """Send a parked email again; {"retried": False} when it was not parked (sent, or retried already)."""
    return _rpc(gateway, NOTIFICATIONS).retry_message(message_id[:36])


def overview(gateway, seconds: float) -> dict:
    """Every service's parked letters and notifications' parked emails, asked at once, each `seconds` at
    most: {"letters": {service: [letter] | None}, "mail": [message] | None}; None where it did not answer."""
    pool = eventlet.GreenPool(len(SERVICES) + 1)
    remote = {name: pool.spawn(_guarded, name, letters, gateway, name, seconds=seconds)
              for name in SERVICES if name != gateway.name}
    mail = pool.spawn(_guarded, NOTIFICATIONS, parked_mail, gateway, seconds=seconds)
    own = {gateway.name: _guarded(gateway.name, letters, gateway, gateway.name, seconds=seconds)}
    found = {**own, **{name: thread.wait() for name, thread in remote.items()}}
    return {"letters": {name: found[name] for name in SERVICES}, "mail": mail.wait()}


def _guarded(name: str, call, *args, seconds: float):
    """What a service answers, or None when it cannot just now (the reason is logged)."""
    try:
        with eventlet.Timeout(seconds):
            return call(*args)
    except eventlet.Timeout:
        log.warning("a service did not answer the operations page in time", extra={"source": name})
    except Exception as exc:   # away, or failing: the page says it could not be asked
        log.warning("a service could not be asked for the operations page",
                    extra={"source": name, "status": type(exc).__name__})
    return None


def _rpc(gateway, service: str):
    return getattr(gateway, f"{service}_rpc")


def _own(gateway, service: str) -> bool:
    """True for the gateway's own letters; NotFound for a name that is no service."""
    if service not in SERVICES:
        raise NotFound(f"no service {service!r}", service=service)
    return service == gateway.name
