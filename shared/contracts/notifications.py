"""Events produced by the notifications service: its own reminders, scheduled as durable timers, and
the messages of the thread between the patient and the care team.

They carry ids, dates and codes only; what the patient reads is rendered at send time.
"""
from marshmallow import Schema, fields, validate

from shared.events import contract


@contract("preop_reminder_due", 1)
class PreopReminderDue(Schema):
    """The day before the pre-op check: remind the patient to report at the hospital."""
    surgery_id = fields.String(required=True)
    preop_check_date = fields.Date(required=True)


@contract("checkup_reminder_due", 1)
class CheckupReminderDue(Schema):
    """Two days before a check-up: remind the patient (if they want reminders) and ask for X-rays."""
    plan_id = fields.String(required=True)
    checkup_date = fields.Date(required=True)


@contract("care_message_posted", 1)
class CareMessagePosted(Schema):
    """A message in the thread between the patient and the care team (its text never leaves
    notifications): who wrote it, and the care team's role it is for (the patient's) or from (a reply)."""
    message_id = fields.String(required=True)
    author = fields.String(required=True, validate=validate.OneOf(("patient", "staff")))
    addressed_role = fields.String(allow_none=True, load_default=None, metadata={
        "description": "the role the patient wrote to; null for a reply of the care team"})
    author_role = fields.String(allow_none=True, load_default=None, metadata={
        "description": "the role of the staff member who answered; null for the patient's message"})
    attachments = fields.Integer(required=True, validate=validate.Range(min=0))
