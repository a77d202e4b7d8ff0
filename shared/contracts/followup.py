"""Events produced by the follow-up service. Images travel as references and checksums."""
from marshmallow import Schema, fields

from shared.events import contract


@contract("followup_planned", 1)
class FollowupPlanned(Schema):
    plan_id = fields.String(required=True)
    checkup_dates = fields.List(fields.Date(), required=True)
    channel = fields.String(allow_none=True, load_default=None)            # video | telephone
    time_zone = fields.String(allow_none=True, load_default=None)          # IANA name
    skipped_checkups = fields.List(fields.String(), load_default=list)     # due before the flight home


@contract("checkup_completed", 1)
class CheckupCompleted(Schema):
    checkup_id = fields.String(required=True)
    outcome = fields.String(required=True)                                 # done | missed | cancelled
    flagged = fields.Boolean(load_default=False)                           # missed too often in a row
    rebooked_as = fields.String(allow_none=True, load_default=None)        # the new check-up after a miss


@contract("imaging_received", 1)
class ImagingReceived(Schema):
    image_id = fields.String(required=True)
    sha256 = fields.String(required=True)
    media_type = fields.String(required=True)
    body_part = fields.String(required=True)
    review_due = fields.Date(required=True)
    # patient_link | staff | radiology_clinic
    uploaded_via = fields.String(allow_none=True, load_default=None)
    identity_mismatch = fields.Boolean(load_default=False)                 # DICOM ids not the journey's


@contract("complication_reported", 1)
class ComplicationReported(Schema):
    escalation_id = fields.String(required=True)
    kind = fields.String(required=True)
    act_by = fields.Date(required=True)
    subject = fields.String(allow_none=True, load_default=None)            # image | checkup
    subject_id = fields.String(allow_none=True, load_default=None)


@contract("escalation_resolved", 1)
class EscalationResolved(Schema):
    escalation_id = fields.String(required=True)
    kind = fields.String(required=True)
    action_code = fields.String(required=True)


@contract("imaging_reviewed", 1)
class ImagingReviewed(Schema):
    """The specialist assessed an image (fine, watch or concern): its review task is done."""
    image_id = fields.String(required=True)
    outcome = fields.String(required=True)                                 # fine | watch | concern
    assessment_id = fields.String(allow_none=True, load_default=None)      # each assessment is announced
    focus_checkup_id = fields.String(allow_none=True, load_default=None)   # watch: the check-up looking again


@contract("checkup_assessed", 1)
class CheckupAssessed(Schema):
    """The specialist assessed a done check-up (fine, watch or concern; a concern also escalates)."""
    checkup_id = fields.String(required=True)
    outcome = fields.String(required=True)
    assessment_id = fields.String(required=True)


# Deadlines as facts: scheduled as durable timers when the deadline is set, emitted by the
# follow-up service's timer relay once it has passed, cancelled when the clinic acts in time.

@contract("image_review_overdue", 1)
class ImageReviewOverdue(Schema):
    """An image was not reviewed by its review date."""
    image_id = fields.String(required=True)
    review_due = fields.Date(required=True)


@contract("escalation_overdue", 1)
class EscalationOverdue(Schema):
    """A complication was not acted on by its act-by date."""
    escalation_id = fields.String(required=True)
    kind = fields.String(required=True)
    act_by = fields.Date(required=True)


@contract("checkup_missed", 1)
class CheckupMissed(Schema):
    """No outcome was recorded for a check-up by the end of its window (due date + window days)."""
    checkup_id = fields.String(required=True)
    due_on = fields.Date(required=True)
    window_ends = fields.Date(required=True)


@contract("checkup_moved", 1)
class CheckupMoved(Schema):
    """Staff moved a check-up still to come to another day (the patient asked, or the clinic must)."""
    checkup_id = fields.String(required=True)
    plan_id = fields.String(required=True)
    previous_due_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    reason = fields.String(required=True)                                  # api.followup.STAFF_MOVE_REASONS
    time_zone = fields.String(allow_none=True, load_default=None)          # the patient's, IANA name
    patient_asked = fields.Boolean(load_default=False)                     # a request of theirs is answered
