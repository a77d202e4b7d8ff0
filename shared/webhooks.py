"""Signed webhooks (Stripe's model, which the travel agency follows too).

Header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, one or more v1.
One verifier for both providers: the header is parsed strictly (ASCII, digits,
hex), the timestamp must be within the tolerance in *both* directions (the
stripe SDK checks only the past), and the HMAC is checked by the stripe SDK
against each current secret (two during a rotation).
"""
import re
import time

import stripe

_STAMP = re.compile(r"[0-9]{1,12}")
_HEX = re.compile(r"[0-9a-f]{64}")


class InvalidSignature(Exception):
    """The signature header is missing, malformed, stale, from the future, or wrong."""


def split_secrets(value) -> tuple[str, ...]:
    """Endpoint secrets, comma-separated in config (two are accepted during a rotation)."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    return tuple(item.strip() for item in items if item and str(item).strip())


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The signature header a provider sends for `body` (sandboxes and tests)."""
    return stripe.WebhookSignature.generate_signature_header(
        body.decode("utf-8"), secret, int(time.time()) if timestamp is None else timestamp)


def verify(body: bytes, header: str | None, secrets, tolerance_seconds: int,
           now: float | None = None) -> None:
    """Return if `body` is signed by one of `secrets` within the tolerance; else InvalidSignature."""
    timestamp, signatures = _parse(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance_seconds:
        raise InvalidSignature("the webhook's timestamp is outside the tolerance")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSignature("the webhook's body is not UTF-8") from None
    canonical = f"t={timestamp}," + ",".join(f"v1={s}" for s in signatures)
    for secret in split_secrets(secrets):
        try:
            # The SDK checks the HMAC in constant time; our own check above covers the future.
            stripe.WebhookSignature.verify_header(text, canonical, secret, tolerance=None)
            return
        except stripe.SignatureVerificationError:
            continue
    raise InvalidSignature("the webhook's signature does not match")


def _parse(header: str | None) -> tuple[int, list[str]]:
    if not header or not header.isascii() or len(header) > 2000:
        raise InvalidSignature("the signature header is missing or malformed")
    stamps, signatures = [], []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t":
            stamps.append(value.strip())
        elif key == "v1":
            signatures.append(value.strip())
    if len(stamps) != 1 or not _STAMP.fullmatch(stamps[0]):
        raise InvalidSignature("the signature header needs one timestamp t=<unix seconds>")
    signatures = [s for s in signatures if _HEX.fullmatch(s)]
    if not signatures:
        raise InvalidSignature("the signature header needs a v1=<hex HMAC-SHA256> signature")
    return int(stamps[0]), signatures
