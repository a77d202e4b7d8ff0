"""Sends the recorded agency requests, outside any transaction, and has the replies recorded."""
from services.travel.handlers import agency_requests
from services.travel.settings import Settings


def send_due(uow, clock, api, settings: Settings, limit: int = 20) -> int:
    """Send the requests that are due; returns how many were tried."""
    claimed = agency_requests.claim_due(uow, clock, limit)
    for item in claimed:
        reply = api.send(item.action, item.order_id, item.key, item.payload) if item.sendable else None
        agency_requests.record_reply(uow, clock, item, reply, settings.retry)
    return len(claimed)
