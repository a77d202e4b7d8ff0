"""The refund policy on cancellation: by reason, and by how long before surgery (pure)."""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RefundDecision:
    percent: int
    refund_cents: int
    explanation: str


def decide_refund(policy: dict[str, list[dict]], reason_code: str, *, net_paid_cents: int,
                  surgery_date: date | None, today: date) -> RefundDecision:
    """The share of the money received that goes back, and the rule that said so.

    Rules for the reason (or "default") are tried from the most days before surgery
    down; with no surgery date yet the most generous rule applies.
    """
    key = reason_code if reason_code in policy else "default"
    rules = sorted(policy.get(key) or [], key=lambda rule: -int(rule["days_before"]))
    days = None if surgery_date is None else (surgery_date - today).days
    for rule in rules:
        if days is None or days >= int(rule["days_before"]):
            percent = int(rule["percent"])
            when = "no surgery date" if days is None else f"{days} days before surgery"
            return RefundDecision(percent, max(0, net_paid_cents) * percent // 100,
                                  f"{key}: {when}, at least {rule['days_before']} days: {percent}%")
    return RefundDecision(0, 0, f"{key}: no rule matches {days} days before surgery: 0%")
