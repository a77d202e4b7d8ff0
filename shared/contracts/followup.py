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
    uploaded_via = fields.String(allow_none=True, load_default=None)       # patient_link | staff
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
