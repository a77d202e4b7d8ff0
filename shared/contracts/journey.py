"""Events produced by the journey service (the patient record and its rights)."""
from marshmallow import Schema, fields

from shared.events import contract

# Where a journey can be, in the order it goes through them (the journey board's filter);
# the last five end it.
STAGES = ("enquiry", "on_hold", "waitlisted", "screening", "payment", "scheduling", "surgery_planned",
          "clinical_stay", "rehabilitation", "follow_up", "second_opinion",
          "second_opinion_concluded", "information", "declined", "cancelled", "erasure")
# Why a journey can be stalled (services/journey/domain/stalls.py judges them; the board filters by them).
STALLS = ("enquiry_unanswered", "deposit_unpaid", "review_overdue", "travel_conflict_open", "desk_task_open",
          "scheduling_blocked", "balance_overdue", "questionnaire_overdue", "escalation_overdue",
          "checkup_missed", "second_opinion_unbooked", "second_opinion_unrecorded",
          "second_opinion_outcome_missing")


@contract("erasure_requested", 1)
class ErasureRequested(Schema):
    """An enquirer asked to have their personal data erased (GDPR art. 17)."""
    request_id = fields.String(required=True)


@contract("erasure_confirmed", 1)
class ErasureConfirmed(Schema):
    """Every service answers an erasure request with one of these (producer = the service)."""
    request_id = fields.String(required=True)
    service = fields.String(required=True)
    erased = fields.Boolean(required=True)
    retained_reason = fields.String(allow_none=True, load_default=None)
