"""Events produced by the notifications service: its own reminders, scheduled as durable timers.

They carry ids and dates only; what the patient reads is rendered at send time.
"""
from marshmallow import Schema, fields

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
