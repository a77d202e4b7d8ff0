"""The payment provider behind one thin interface: the local sandbox or Stripe.

Every call carries an idempotency key, so a retried handler never charges or
refunds twice. Provider trouble raises ProviderError and the handler is retried.
"""
from typing import Protocol

import requests
from nameko.extensions import DependencyProvider

from services.payments.settings import Settings, parse


class ProviderError(Exception):
    """The provider could not be reached or refused the call."""


class PaymentProvider(Protocol):
    def create_payment_request(self, *, idempotency_key: str, amount_cents: int, currency: str,
                               metadata: dict) -> str:
        """Ask the patient to pay; returns the provider's id for the request."""

    def refund(self, *, idempotency_key: str, payment_ref: str, amount_cents: int, metadata: dict) -> str:
        """Refund (part of) a payment; returns the provider's refund id."""


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

    def _post(self, path: str, key: str, body: dict) -> str:
        try:
            response = requests.post(self.base_url + path, json=body, timeout=self.timeout,
                                     headers={"Idempotency-Key": key})
        except requests.RequestException as exc:
            raise ProviderError(f"provider unreachable: {type(exc).__name__}") from None
        if response.status_code >= 300:
            raise ProviderError(f"provider answered {response.status_code} on {path}")
        return response.json()["id"]


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
