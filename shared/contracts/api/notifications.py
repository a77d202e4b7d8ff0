"""The notifications API: contact details (enquiries answers), patient links for a message
(the gateway answers), reminder preferences, the messages between the patient and the care team,
and the local mailbox (notifications answers)."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDateTime

LANGUAGES = ("en", "nl", "de", "fr", "es")
LINK_PURPOSES = ("portal", "questionnaire", "payment", "messages")


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


# Messages with the care team. The roles a patient may address (services/notifications/domain/
# conversations.py has the same); the most any configuration lets a message carry, which is what the
# gateway reads at most (NOTIFICATIONS.conversations may set lower limits).
ADDRESSABLE_ROLES = ("intake_coordinator", "specialist", "physiotherapist", "travel_desk", "finance")
ATTACHMENT_CEILING_BYTES = 10 * 1024 * 1024
ATTACHMENTS_CEILING = 3
TEXT_CEILING = 10_000


class AttachmentUpload(Schema):
    content_base64 = fields.String(required=True, metadata={
        "description": "a JPEG, PNG or PDF file, base64; checked by its content"})


class StaffReplyForm(Schema):
    """A reply of the care team: its text, and files (e.g. a letter) if any."""
    text = fields.String(load_default="", validate=validate.Length(max=TEXT_CEILING))
    attachments = fields.List(fields.Nested(AttachmentUpload), load_default=list,
                              validate=validate.Length(max=ATTACHMENTS_CEILING))


class PatientMessageForm(StaffReplyForm):
    """A patient's message, to one role of the care team."""
    addressed_role = fields.String(required=True, validate=validate.OneOf(ADDRESSABLE_ROLES))


class AttachmentView(Schema):
    id = fields.String()
    media_type = fields.String(metadata={"example": "image/jpeg"})
    size_bytes = fields.Integer()
    filename = fields.String(metadata={"description": "the name it downloads under (not the one it was sent "
                                                      "with)", "example": "photo.jpg"})


class CareMessageView(Schema):
    id = fields.String()
    journey_id = fields.String()
    author = fields.String(metadata={"description": "patient or staff"})
    addressed_role = fields.String(allow_none=True, metadata={"description": "the role the patient wrote to"})
    author_role = fields.String(allow_none=True, metadata={
        "description": "the role of the staff who answered"})
    posted_by = fields.String(metadata={"description": "who posted it: a staff id, or the patient's link"})
    text = fields.String()
    posted_at = IsoDateTime()
    read_at = IsoDateTime(allow_none=True, metadata={
        "description": "when the other side read it: the addressed role, or the patient opening the reply"})
    attachments = fields.List(fields.Nested(AttachmentView))


class ConversationLimits(Schema):
    max_text_chars = fields.Integer()
    max_attachment_bytes = fields.Integer()
    max_attachments = fields.Integer()
    accepted = fields.List(fields.String(), metadata={
        "example": ["image/jpeg", "image/png", "application/pdf"]})


class ConversationView(Schema):
    """The thread of one journey, oldest message first."""
    journey_id = fields.String()
    messages = fields.List(fields.Nested(CareMessageView))
    limits = fields.Nested(ConversationLimits)


class UnreadQuery(Schema):
    role = fields.String(load_default=None, validate=validate.OneOf(ADDRESSABLE_ROLES), metadata={
        "description": "whose task list; the signed-in role by default"})


class UnreadMessageView(Schema):
    """A patient's message no one of its role has read yet: a task (open the thread to read it)."""
    journey_id = fields.String()
    message_id = fields.String()
    addressed_role = fields.String()
    posted_at = IsoDateTime()
    attachments = fields.Integer()


class AttachmentContentView(AttachmentView):
    journey_id = fields.String()
    content_base64 = fields.String()
