"""Provider webhooks at the gateway: one signature check for both providers, one body parser."""
from services.gateway.adapters.body import parse_json
from services.gateway.adapters.errors import MalformedRequest
from shared import webhooks


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
