"""Sends the recorded agency requests, outside any transaction, and has the replies recorded.

A booking goes with its passenger, asked of enquiries right before it is sent
and held in memory for this batch only: nothing of it is written in travel.
"""
from services.travel.adapters.passengers import PassengerMissing, PassengerUnavailable
from services.travel.domain.agency import UNAVAILABLE, Reply
from services.travel.handlers import agency_requests
from services.travel.settings import Settings


def send_due(uow, clock, api, passengers, settings: Settings, limit: int = 20) -> int:
    """Send the requests that are due; returns how many were tried."""
    claimed = agency_requests.claim_due(uow, clock, limit)
    identities: dict[str, dict | Exception] = {}
    for item in claimed:
        payload = item.payload
        if item.action == "book":
            identity = _identity(passengers, item.journey_id, identities)
            if isinstance(identity, PassengerMissing):
                agency_requests.wait_for_passenger(uow, clock, item, settings.passenger_wait_seconds,
                                                   identity.missing)
                continue
            if isinstance(identity, Exception):
                agency_requests.record_reply(uow, clock, item, Reply(UNAVAILABLE, error=str(identity)[:200]),
                                             settings.retry)
                continue
            payload = dict(payload, passenger=identity)
        reply = api.send(item.action, item.order_id, item.key, payload) if item.sendable else None
        agency_requests.record_reply(uow, clock, item, reply, settings.retry)
    return len(claimed)


def _identity(passengers, journey_id: str, known: dict) -> dict | Exception:
    if journey_id not in known:
        try:
            known[journey_id] = passengers.identity(journey_id)
        except (PassengerMissing, PassengerUnavailable) as exc:
            known[journey_id] = exc
    return known[journey_id]
