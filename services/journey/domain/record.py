"""The journey record: what the facts, folded in causal order, say is known now."""
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Record:
    """What the facts say about one journey (no names: events never carry them)."""
    journey_id: str
    kind: str | None = None
    country: str | None = None
    language: str | None = None
    enquiry_received_at: datetime | None = None
    prescreen: dict | None = None
    steps: list[str] = field(default_factory=list)
    accepted: dict | None = None
    accepted_on: date | None = None
    declined: dict | None = None
    invoice: dict | None = None
    deposit_paid_at: datetime | None = None
    paid_in_full: bool = False
    payments: list[dict] = field(default_factory=list)
    surgery: dict | None = None
    scheduling_blocked: dict | None = None
    preop_fit: bool | None = None
    performed: dict | None = None
    discharged: dict | None = None
    cancelled: dict | None = None
    itinerary: dict | None = None
    conflict: dict | None = None
    desk_tasks: dict[str, dict] = field(default_factory=dict)   # open travel desk tasks, by code and part
    rehab: dict | None = None
    followup: dict | None = None
    checkups: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    complications: list[dict] = field(default_factory=list)
    disputes: dict[str, dict] = field(default_factory=dict)   # by dispute id (domain/payment_flags.py)
    overdue: dict[str, dict] = field(default_factory=dict)   # open overdue facts (domain/deadlines.py)
    erasure_requested_at: datetime | None = None
    purged_at: datetime | None = None   # the retention period ended: erased in every service
    # Consents withdrawn, by purpose (health_data, privacy, marketing): {channel, at}.
    consents_withdrawn: dict[str, dict] = field(default_factory=dict)
    # A second opinion: its status (awaiting | booked | held | concluded) and the facts that go with it.
    second_opinion: dict | None = None
    # A suitability enquiry a second opinion opened: where from, and whether health questions are pending.
    opened_from_journey_id: str | None = None
    health_questions_pending: bool = False
    first_at: datetime | None = None
    last_at: datetime | None = None
    count: int = 0
