"""Messages with the care team: the patient's thread with the clinic, oldest first, and a form to write to
one role of the care team (the coordinator, the specialist, ...), with photos or letters checked by
notifications by their content (JPEG, PNG or PDF, within the limit the page shows). A refusal is said
beside its field; the form's idempotency key makes a double click one message. Opening the page reads
the care team's replies; the emails about them say only that a message waits. Attachments download
for the patient's own journey only."""
import base64

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from services.gateway.adapters.errors import classify
from services.gateway.adapters.portal import N_, portal_page, time_zone
from shared.contracts.api.notifications import (
    ADDRESSABLE_ROLES,
    ATTACHMENT_CEILING_BYTES,
    ATTACHMENTS_CEILING,
)
from shared.errors import Invalid, size_text
from shared.i18n import formats

HOME = "/p/messages"
ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
# The most a message form may carry: its files at the contracts' ceiling, and the form's fields.
CEILING = ATTACHMENTS_CEILING * ATTACHMENT_CEILING_BYTES + 64 * 1024


def _rpc(ui):
    return ui.service.notifications_rpc


@portal_page("messages", action=N_("see their messages with the care team"), menu=N_("Messages"),
             order=50)
def messages(ui):
    """The thread (the care team's replies are read from now on) and the form to write."""
    thread = _rpc(ui).patient_conversation(ui.principal.journey_id)
    return _page(ui, thread, sent=ui.request.args.get("sent") == "1")


@portal_page("messages", action=N_("submit a message to their care team"), methods=("POST",),
             max_body=CEILING)
def send_message(ui):
    """One message to the role chosen, with the files chosen; a refusal is explained beside its field."""
    journey = ui.principal.journey_id
    thread = _rpc(ui).conversation(journey)
    form = ui.request.form
    sent = {"addressed_role": (form.get("addressed_role") or "")[:40],
            "text": (form.get("text") or "")[:12000]}
    try:
        if sent["addressed_role"] not in ADDRESSABLE_ROLES:
            raise Invalid("choose whom you are writing to", fields={"addressed_role": ["choose one"]})
        attachments = _read(ui.request.files.getlist("files"), thread["limits"])
        _rpc(ui).post_patient_message(journey, dict(sent, attachments=attachments))
    except Exception as exc:
        failure = classify(exc)
        if failure.status not in (413, 422):
            raise
        ui.log_access(journey, "portal_send_message_refused")
        return _page(ui, thread, problems=_problems(failure), form=sent, code=failure.status)
    return redirect(f"{HOME}?sent=1#latest", code=303)


@portal_page("messages/attachments/<attachment_id>", action=N_("open an attachment of their messages"))
def message_attachment(ui, attachment_id):
    """A file of the thread, as it was sent: this journey's only (another's is not found)."""
    found = _rpc(ui).message_attachment(ui.principal.journey_id, attachment_id[:36])
    return Response(base64.b64decode(found["content_base64"]), content_type=found["media_type"],
                    headers={"Content-Disposition": f'attachment; filename="{found["filename"]}"'})


def _read(uploads, limits: dict) -> list[dict]:
    """The files chosen (an empty file input sends one without a name), each within the limit."""
    chosen = [upload for upload in uploads if upload is not None and upload.filename]
    if len(chosen) > limits["max_attachments"]:
        raise Invalid("too many files", fields={"attachments": ["too many files"]})
    found = []
    for upload in chosen:
        data = upload.stream.read(limits["max_attachment_bytes"] + 1)
        if len(data) > limits["max_attachment_bytes"]:
            raise Invalid("the file is larger than the limit",
                          fields={"attachments": ["the file is larger than the limit"]})
        found.append({"content_base64": base64.b64encode(data).decode("ascii")})
    return found


def _problems(failure) -> dict:
    """Per field, the reason as the checks gave it (the template says each in the patient's words)."""
    if failure.status == 413:
        return {"attachments": ["the file is larger than the limit"]}
    found = {name: messages if isinstance(messages, list) else [str(messages)]
             for name, messages in (failure.details.get("fields") or {}).items()}
    return found or {"text": [failure.message]}


def _page(ui, thread: dict, problems: dict | None = None, form: dict | None = None, sent: bool = False,
          code: int = 200):
    zone, limits = time_zone(ui), thread["limits"]
    shown = [dict(m, when=formats.moment(m["posted_at"], zone, ui.language),
                  attachments=[dict(a, size=size_text(a["size_bytes"])) for a in m["attachments"]])
             for m in thread["messages"]]
    return ui.render("portal_messages.html", code, thread=shown, roles=ADDRESSABLE_ROLES,
                     problems=problems or {}, form=form or {}, sent=sent, accept=ACCEPT,
                     limit=size_text(limits["max_attachment_bytes"]), limits=limits)
