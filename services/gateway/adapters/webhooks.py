"""Provider webhooks at the gateway: one signature check for both providers, one body parser,
and one way to hand a verified event to the service that owns it (shared/handoff.py)."""
from services.gateway.adapters.body import parse_json
from services.gateway.adapters.errors import MalformedRequest
from shared import webhooks
from shared.handoff import handoff_event


class InvalidSignature(MalformedRequest):
    """The webhook's signature is missing, malformed, stale, from the future or wrong (400)."""


def verified_event(ctx, header_name: str, section: str) -> dict:
    """The provider's event from this request, once its signature checks out (else a 400)."""
    return verify_event(ctx.body, ctx.request.headers.get(header_name), ctx.config.get(section) or {})


def verify_event(body: bytes, header: str | None, conf: dict) -> dict:
    """The event in `body` if signed by one of conf's secrets within its tolerance; else a 400."""
    try:
        webhooks.verify(body, header, conf.get("webhook_secrets"),
                        int(conf.get("webhook_tolerance_seconds", 300)))
    except webhooks.InvalidSignature as exc:
        raise InvalidSignature(f"{exc}; nothing was stored") from None
    event = parse_json(body)
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not event["id"]:
        raise MalformedRequest("the event must be a JSON object with an id")
    return event


def hand_over(ctx, contract_cls, event: dict) -> dict:
    """Hand the verified event over durably (a publisher confirm, no RPC wait): the 2xx means the
    broker holds it for its service, which stores it once, by the provider's event id."""
    ctx.service.handoff.hand_over(handoff_event(
        ctx.service.name, contract_cls, event, correlation_id=ctx.service.context.get("correlation_id")))
    return {"received": True}
