"""Messages with the care team, from the staff side: the thread of a journey (the patient writes in the
portal, /p/messages), a reply as one's own role, marking a patient's message read, its attachments, and
each role's task list of patients' messages no one has read yet. The texts stay in notifications; the
patient is emailed only that a message waits."""
import math

from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN, FINANCE, INTAKE, PHYSIOTHERAPIST, SPECIALIST, TRAVEL_DESK
from shared.contracts.api import notifications as api
from shared.edge import dump
from shared.errors import Forbidden, Invalid
from shared.i18n import N_

TAG = "messages"
CARE_TEAM = {INTAKE, SPECIALIST, PHYSIOTHERAPIST, TRAVEL_DESK, FINANCE}   # api.ADDRESSABLE_ROLES
READERS = CARE_TEAM | {ADMIN}
PATH = "/journeys/<uuid:journey_id>/messages"
# The most a reply's body is read: its files in base64, and the text (notifications may allow less).
REPLY_CEILING = api.ATTACHMENTS_CEILING * math.ceil(api.ATTACHMENT_CEILING_BYTES / 3) * 4 + 64 * 1024


def _rpc(ctx):
    return ctx.rpc("notifications")


@route("GET", PATH, roles=READERS, tag=TAG, response=api.ConversationView,
       summary="Read the thread between the patient and the care team, oldest message first",
       action=N_("read the messages between a patient and the care team"))
def care_messages(ctx, journey_id):
    return _rpc(ctx).conversation(str(journey_id))


@route("POST", PATH, roles=CARE_TEAM, tag=TAG, body=api.StaffReplyForm, response=api.CareMessageView,
       status=201, max_body=REPLY_CEILING,
       summary="Answer the patient as your role (with JPEG, PNG or PDF files, base64): it answers their "
               "unread messages to your role, and the patient is emailed that a message waits (never what "
               "it says)",
       responses={422: "an empty message, too long, too many files, or a file that is not accepted"},
       action=N_("answer a patient's message"))
def answer_patient(ctx, journey_id):
    return _rpc(ctx).post_staff_reply(str(journey_id), dump(api.StaffReplyForm, ctx.body), ctx.principal.role)


@route("POST", PATH + "/<string:message_id>/read", roles=CARE_TEAM, tag=TAG, response=api.CareMessageView,
       summary="Mark a patient's message to your role as read (it leaves your role's task list)",
       responses={403: "the message is addressed to another role", 404: "no such message in this thread",
                  409: "a reply of the care team is read by the patient"},
       action=N_("mark a patient's message read"))
def mark_care_message_read(ctx, journey_id, message_id):
    return _rpc(ctx).mark_message_read(str(journey_id), message_id[:36], ctx.principal.role)


@route("GET", PATH + "/attachments/<string:attachment_id>", roles=READERS, tag=TAG,
       response=api.AttachmentContentView, summary="An attachment of the thread, as it was sent (base64)",
       responses={404: "no such attachment in this thread"},
       action=N_("read an attachment of a patient's messages"))
def care_message_attachment(ctx, journey_id, attachment_id):
    return _rpc(ctx).message_attachment(str(journey_id), attachment_id[:36])


@route("GET", "/messages/unread", roles=READERS, tag=TAG, query=api.UnreadQuery, patient_param=None,
       response=api.UnreadMessageView, many=True,
       summary="A role's task list: patients' messages to it that no one has read, the oldest first "
               "(your own role's unless an administrator names one)",
       action=N_("list the patients' messages waiting for a role"))
def unread_care_messages(ctx):
    role = ctx.query.get("role") or ctx.principal.role
    if role not in api.ADDRESSABLE_ROLES:
        raise Invalid("say whose messages to list",
                      fields={"role": [f"one of {', '.join(api.ADDRESSABLE_ROLES)}"]})
    if role != ctx.principal.role and ctx.principal.role != ADMIN:
        raise Forbidden("you may list only the messages addressed to your own role")
    waiting = _rpc(ctx).unread_messages(role)
    for journey in sorted({item["journey_id"] for item in waiting}):
        ctx.log_access(journey)
    return waiting
