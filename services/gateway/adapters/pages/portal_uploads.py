"""Send X-rays and photos: a file chosen or a photo taken on the phone goes into the patient file through
followup's own checks (by its content: DICOM, JPEG, PNG or PDF, complete, within the limit, which the
page shows before anything is sent); a refused file is explained beside the field; the list says what
was sent and whether the specialist has reviewed it."""
import base64

from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.portal import N_, portal_page
from shared.contracts.api import followup as api
from shared.edge import dump, load
from shared.errors import Invalid, size_text
from shared.i18n import formats

HOME = "/p/uploads"

# What the patient sends, as the file's body part (a code the specialist's list shows) and a default
# for where it was made.
KINDS = {"xray": "residual_limb", "stoma_photo": "stoma", "letter": "letter"}
ACCEPT = ".dcm,.dicom,application/dicom,image/jpeg,image/png,application/pdf"
# The most a page form may carry: the gateway's API ceiling for an upload, and the form's fields.
CEILING = 20 * 1024 * 1024 + 64 * 1024


def _sent(ui) -> dict:
    return ui.service.followup_rpc.sent_images(ui.principal.journey_id)


@portal_page("uploads", action=N_("see the X-rays and photos they sent"), menu=N_("X-rays and photos"),
             order=70)
def uploads(ui):
    """The upload form with the size limit, and what was sent with whether it has been reviewed."""
    told = ui.request.args.get("sent")
    return _page(ui, _sent(ui), done=told if told in ("new", "again") else None)


@portal_page("uploads", action=N_("upload an X-ray or a photo"), methods=("POST",), max_body=CEILING)
def send_upload(ui):
    """Send one file (or a photo just taken) through followup's checks; a refusal is explained."""
    journey = ui.principal.journey_id
    sent = _sent(ui)
    form = ui.request.form
    try:
        kind = form.get("kind")
        if kind not in KINDS:
            raise Invalid("say what you are sending", fields={"kind": ["choose one"]})
        data = _read(_chosen_file(ui.request.files), sent["max_upload_bytes"])
        meta = load(api.ImageUploadForm, {"body_part": KINDS[kind],
                                          "made_where": (form.get("made_where") or "").strip()[:120],
                                          "made_on": (form.get("made_on") or "").strip()[:10] or None})
        result = ui.service.followup_rpc.upload_image(journey, base64.b64encode(data).decode("ascii"),
                                                      dump(api.ImageUploadForm, meta))
    except Exception as exc:
        failure = classify(exc)
        if failure.status not in (413, 422):
            raise
        ui.log_access(journey, "portal_send_upload_refused")
        return _page(ui, sent, problems=_problems(failure), form=form, code=failure.status)
    return redirect(f"{HOME}?sent={'again' if result['duplicate'] else 'new'}", code=303)


def _page(ui, sent: dict, problems: dict | None = None, form=None, done: str | None = None, code: int = 200):
    images = [dict(i, day=formats.day(i["uploaded_at"], ui.language)) for i in sent["images"]]
    return ui.render("portal_uploads.html", code, images=images, limit=size_text(sent["max_upload_bytes"]),
                     accept=ACCEPT, problems=problems or {}, form=form or {}, done=done, kinds=list(KINDS))


def _chosen_file(files):
    """The file chosen, or the photo taken (the page offers both; either may be empty)."""
    for name in ("file", "photo"):
        upload = files.get(name)
        if upload is not None and upload.filename:
            return upload
    return None


def _read(upload, limit: int) -> bytes:
    if upload is None:
        raise Invalid("choose a file or take a photo", fields={"file": ["the file is empty"]})
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise Invalid("the file is larger than the limit",
                      fields={"file": ["the file is larger than the limit"]}, max_bytes=limit)
    return data


def _problems(failure) -> dict:
    """Per field, the reason as the checks gave it (the template words each in the patient's language)."""
    fields = failure.details.get("fields") or {}
    if failure.status == 413:
        return {"file": ["the file is larger than the limit"]}
    found = {name: messages if isinstance(messages, list) else [str(messages)]
             for name, messages in fields.items()}
    return found or {"file": [failure.message]}
