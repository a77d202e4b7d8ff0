"""The PAYMENTS section of config.yaml (the service declares `settings = Settings(parse)`)."""
from dataclasses import dataclass

from services.payments.domain.retries import RetryPolicy
from shared.webhooks import split_secrets

DEFAULT_POLICY = {"default": [{"days_before": 0, "percent": 100}]}


@dataclass(frozen=True)
class Settings:
    currency: str
    price_list: dict[str, int]
    deposit_percent: int
    deposit_due_days: int
    balance_due_days_before_surgery: int
    refund_policy: dict[str, list[dict]]
    provider: str
    provider_url: str
    provider_api_key: str | None
    webhook_secrets: tuple[str, ...]
    webhook_tolerance_seconds: int
    unmatched_after_minutes: int = 60        # an unmatched provider event older than this needs finance
    refund_retry: RetryPolicy = RetryPolicy()

    @property
    def provider_actor(self) -> str:
        """Who the facts read from the provider's webhooks come from, on the timeline."""
        return f"provider:{self.provider}"


def parse(config: dict) -> Settings:
    """The typed PAYMENTS settings, with defaults for what config leaves out."""
    raw = config.get("PAYMENTS") or {}
    retry = raw.get("refund_retry") or {}
    return Settings(
        currency=raw.get("currency", "EUR"),
        price_list={k: int(v) for k, v in (raw.get("price_list") or {"default": 4_500_000}).items()},
        deposit_percent=int(raw.get("deposit_percent", 50)),
        deposit_due_days=int(raw.get("deposit_due_days", 14)),
        balance_due_days_before_surgery=int(raw.get("balance_due_days_before_surgery", 14)),
        refund_policy=raw.get("refund_policy") or DEFAULT_POLICY,
        provider=str(raw.get("provider", "sandbox")),
        provider_url=str(raw.get("provider_url", "http://127.0.0.1:8101")),
        provider_api_key=raw.get("provider_api_key") or None,
        webhook_secrets=split_secrets(raw.get("webhook_secrets")),
        webhook_tolerance_seconds=int(raw.get("webhook_tolerance_seconds", 300)),
        unmatched_after_minutes=int(raw.get("unmatched_after_minutes", 60)),
        refund_retry=RetryPolicy(int(retry.get("attempts", 5)), float(retry.get("first_delay_seconds", 30)),
                                 float(retry.get("backoff_factor", 3)),
                                 float(retry.get("max_delay_seconds", 3600))),
    )
