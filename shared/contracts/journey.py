"""Events produced by the journey service (the patient record and its rights)."""
from marshmallow import Schema, fields, validate

from shared.events import contract

# Where a journey can be, in the order it goes through them (the journey board's filter);
# the last five end it.
STAGES = ("enquiry", "on_hold", "waitlisted", "screening", "payment", "scheduling", "surgery_planned",
          "clinical_stay", "rehabilitation", "follow_up", "second_opinion",
          "second_opinion_concluded", "information", "declined", "cancelled", "consent_withdrawn", "erasure")
# Which retention rule keeps a journey's record (RETENTION in config.yaml), and why a record is erased.
RETENTION_RULES = ("enquirer", "declined_after_screening", "patient")
# Why a journey can be stalled (services/journey/domain/stalls.py judges them; the board filters by them).
STALLS = ("enquiry_unanswered", "deposit_unpaid", "review_overdue", "travel_conflict_open", "desk_task_open",
          "scheduling_blocked", "balance_overdue", "questionnaire_overdue", "escalation_overdue",
          "checkup_missed", "second_opinion_unbooked", "second_opinion_unrecorded",
          "second_opinion_outcome_missing")


@contract("erasure_requested", 1)
class ErasureRequested(Schema):
    """An enquirer asked to have their personal data erased (GDPR art. 17)."""
    request_id = fields.String(required=True)
    # A purge: the retention period ended, so even a patient's medical record goes, in every service.
    purge = fields.Boolean(load_default=False)


@contract("retention_ended", 1)
class RetentionEnded(Schema):
    """The journey's retention period ended (a durable timer of the journey service): purge it."""
    rule = fields.String(required=True, validate=validate.OneOf(RETENTION_RULES))
    kept_until = fields.Date(required=True)


@contract("erasure_confirmed", 1)
class ErasureConfirmed(Schema):
    """Every service answers an erasure request with one of these (producer = the service)."""
    request_id = fields.String(required=True)
    service = fields.String(required=True)
    erased = fields.Boolean(required=True)
    retained_reason = fields.String(allow_none=True, load_default=None)
