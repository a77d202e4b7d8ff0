"""The notifications API: contact details (enquiries answers), patient links for a message
(the gateway answers), reminder preferences and the local mailbox (notifications answers)."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDateTime

LANGUAGES = ("en", "nl", "de", "fr", "es")
LINK_PURPOSES = ("portal", "questionnaire", "payment")


class ContactDetails(Schema):
    """How to reach a person, asked for at send time (never carried in an event)."""
    email = fields.String(required=True)
    name = fields.String(required=True)
    language = fields.String(required=True, metadata={"description": "the preferred language, e.g. nl"})
    time_zone = fields.String(allow_none=True, load_default=None, metadata={
        "description": "IANA zone when known (the check-up's), else null"})
    country = fields.String(allow_none=True, load_default=None)


class PatientLinkRequest(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(LINK_PURPOSES))


class PatientLinkIssued(Schema):
    """A personal, expiring link for one message; recorded by the gateway like a staff-issued one."""
    url = fields.String(required=True)
    expires_at = IsoDateTime(required=True)


class ReminderPreferencesForm(Schema):
    checkup_reminders = fields.Boolean(required=True, metadata={
        "description": "email reminders two days before each check-up; care-critical messages "
                       "(a surgery change, a missed check-up) are always sent"})


class ReminderPreferencesView(Schema):
    journey_id = fields.String()
    checkup_reminders = fields.Boolean()
    updated_at = IsoDateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)


class ParkedMessageView(Schema):
    """A message every retry failed to send: what it is and why, never its content or address."""
    id = fields.String()
    journey_id = fields.String()
    template = fields.String(metadata={"example": "surgery_rescheduled"})
    attempts = fields.Integer()
    error = fields.String(allow_none=True)


class MessageRetried(Schema):
    id = fields.String()
    retried = fields.Boolean(metadata={"description": "false: it was not parked (sent, or retried already)"})


class MailboxEntryView(Schema):
    """One message the local SMTP sink received (local runs only)."""
    name = fields.String()
    subject = fields.String()
    to = fields.String()
    language = fields.String(allow_none=True)
    received_at = IsoDateTime()
    attachments = fields.List(fields.String())


class MailboxMessageView(MailboxEntryView):
    text = fields.String()
    html = fields.String()
