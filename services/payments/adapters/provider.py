"""The payment provider behind one thin interface: the local sandbox or Stripe.

Every call carries an idempotency key, so a retried handler never charges or
refunds twice. Provider trouble raises ProviderError and the handler is retried.
"""
from dataclasses import dataclass
from typing import Protocol

import requests
from nameko.extensions import DependencyProvider

from services.payments.settings import Settings, parse


class ProviderError(Exception):
    """The provider could not be reached or refused the call."""


@dataclass(frozen=True)
class HostedCheckout:
    """A checkout session at the provider (Stripe Checkout's), as payments reads it."""
    id: str
    url: str | None              # the provider's page for the payer; None once it is closed
    status: str                  # open | complete | expired
    expires_at: int | None       # unix seconds
    payment_intent: str | None   # the payment it made, once the payer paid


@dataclass(frozen=True)
class CheckoutRequest:
    """What a new checkout session asks: one line, its amount, and where the payer comes back to."""
    amount_cents: int
    currency: str
    description: str
    metadata: dict
    success_url: str             # may carry {CHECKOUT_SESSION_ID}, filled in by the provider
    cancel_url: str
    locale: str

    def params(self) -> dict:
        """Stripe's create parameters (the sandbox takes the same, as JSON)."""
        return {"mode": "payment", "metadata": self.metadata,
                "payment_intent_data": {"metadata": self.metadata},   # so payment_intent.succeeded names it
                "line_items": [{"quantity": 1, "price_data": {
                    "currency": self.currency.lower(), "unit_amount": self.amount_cents,
                    "product_data": {"name": self.description}}}],
                "success_url": self.success_url, "cancel_url": self.cancel_url, "locale": self.locale}


def hosted(found: dict) -> HostedCheckout:
    intent = found.get("payment_intent")
    return HostedCheckout(found["id"], found.get("url"), found["status"], found.get("expires_at"),
                          intent.get("id") if isinstance(intent, dict) else intent)


class PaymentProvider(Protocol):
    def create_payment_request(self, *, idempotency_key: str, amount_cents: int, currency: str,
                               metadata: dict) -> str:
        """Ask the patient to pay; returns the provider's id for the request."""

    def refund(self, *, idempotency_key: str, payment_ref: str, amount_cents: int, metadata: dict) -> str:
        """Refund (part of) a payment; returns the provider's refund id."""

    def create_checkout(self, *, idempotency_key: str, request: CheckoutRequest) -> HostedCheckout:
        """A hosted checkout session for the payer (its url is the provider's page)."""

    def checkout(self, session_id: str) -> HostedCheckout:
        """A checkout session as the provider has it now."""

    def expire_checkout(self, session_id: str) -> HostedCheckout:
        """Close an open checkout session, so it can no longer be paid."""


class SandboxProvider:
    """The local sandbox (sandboxes/payment_provider), spoken to in JSON over HTTP."""

    def __init__(self, base_url: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def create_payment_request(self, *, idempotency_key, amount_cents, currency, metadata) -> str:
        return self._post("/v1/payment_intents", idempotency_key,
                          {"amount": amount_cents, "currency": currency.lower(), "metadata": metadata})

    def refund(self, *, idempotency_key, payment_ref, amount_cents, metadata) -> str:
        return self._post("/v1/refunds", idempotency_key,
                          {"payment_intent": payment_ref, "amount": amount_cents, "metadata": metadata})

    def create_checkout(self, *, idempotency_key, request) -> HostedCheckout:
        return hosted(self._call("POST", "/v1/checkout/sessions", idempotency_key, request.params()))

    def checkout(self, session_id) -> HostedCheckout:
        return hosted(self._call("GET", f"/v1/checkout/sessions/{session_id}"))

    def expire_checkout(self, session_id) -> HostedCheckout:
        return hosted(self._call("POST", f"/v1/checkout/sessions/{session_id}/expire", None, {}))

    def _post(self, path: str, key: str, body: dict) -> str:
        return self._call("POST", path, key, body)["id"]

    def _call(self, method: str, path: str, key: str | None = None, body: dict | None = None) -> dict:
        try:
            response = requests.request(method, self.base_url + path, json=body, timeout=self.timeout,
                                        headers={"Idempotency-Key": key} if key else {})
        except requests.RequestException as exc:
            raise ProviderError(f"provider unreachable: {type(exc).__name__}") from None
        if response.status_code >= 300:
            raise ProviderError(f"provider answered {response.status_code} on {path}")
        return response.json()


class StripeProvider:
    """Stripe itself, through the official SDK (not exercised by the tests)."""

    def __init__(self, api_key: str):
        import stripe
        self._stripe = stripe
        self._client = stripe.StripeClient(api_key)

    def create_payment_request(self, *, idempotency_key, amount_cents, currency, metadata) -> str:
        params = {"amount": amount_cents, "currency": currency.lower(), "metadata": metadata,
                  "automatic_payment_methods": {"enabled": True}}
        return self._call(self._client.v1.payment_intents.create, params, idempotency_key)

    def refund(self, *, idempotency_key, payment_ref, amount_cents, metadata) -> str:
        params = {"payment_intent": payment_ref, "amount": amount_cents, "metadata": metadata}
        return self._call(self._client.v1.refunds.create, params, idempotency_key)

    def create_checkout(self, *, idempotency_key, request) -> HostedCheckout:
        return self._checkout(self._client.v1.checkout.sessions.create, params=request.params(),
                              options={"idempotency_key": idempotency_key})

    def checkout(self, session_id) -> HostedCheckout:
        return self._checkout(self._client.v1.checkout.sessions.retrieve, session_id)

    def expire_checkout(self, session_id) -> HostedCheckout:
        return self._checkout(self._client.v1.checkout.sessions.expire, session_id)

    def _checkout(self, method, *args, **kwargs) -> HostedCheckout:
        try:
            found = method(*args, **kwargs)
        except self._stripe.StripeError as exc:
            raise ProviderError(f"stripe refused: {type(exc).__name__}") from None
        return HostedCheckout(found.id, found.url, found.status, found.expires_at,
                              getattr(found.payment_intent, "id", found.payment_intent))

    def _call(self, method, params: dict, key: str) -> str:
        try:
            return method(params=params, options={"idempotency_key": key}).id
        except self._stripe.StripeError as exc:
            raise ProviderError(f"stripe refused: {type(exc).__name__}") from None


def make_provider(chosen: Settings) -> PaymentProvider:
    """The client of the provider the settings name (PAYMENTS.provider)."""
    if chosen.provider == "stripe":
        if not chosen.provider_api_key:
            raise RuntimeError("PAYMENTS.provider is stripe but STRIPE_API_KEY is not set")
        return StripeProvider(chosen.provider_api_key)
    return SandboxProvider(chosen.provider_url)


class Provider(DependencyProvider):
    """Injects the configured payment provider client (PAYMENTS.provider)."""

    def setup(self):
        self.client = make_provider(parse(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.client
