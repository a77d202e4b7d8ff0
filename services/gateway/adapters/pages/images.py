"""The specialist's image pages: a journey's images, one image with its preview (window/level presets
for bone), its DICOM header and identity check, and the original to download. Each view is a read of
the patient file, logged as such."""
import base64

from nameko.exceptions import RemoteError
from werkzeug.wrappers import Response

from services.gateway.adapters.ui import page
from services.gateway.domain.roles import ADMIN, SPECIALIST
from shared.i18n import N_

READERS = frozenset({SPECIALIST, ADMIN})
IDENTITY_WORDS = {"matched": "matches this patient", "mismatch": "does NOT match this patient",
                  "missing": "carries no patient id",
                  "not_applicable": "not a DICOM file (no header to check)"}


@page("journeys/<uuid:journey_id>/images", roles=READERS, action=N_("list the images in a patient file"))
def images(ui, journey_id):
    journey_id = str(journey_id)
    try:
        found = ui.service.followup_rpc.list_images(journey_id)
    except RemoteError as exc:
        if exc.exc_type != "NotFound":
            raise
        found = None   # not in tele-follow-up yet: the page says so, as it would of no images
    ui.log_access(journey_id, "ui_images")
    return ui.render("images.html", listing=found, image=None, identity_words=IDENTITY_WORDS)


@page("journeys/<uuid:journey_id>/images/<string:image_id>", roles=READERS,
      action=N_("open an image and its DICOM header"))
def image(ui, journey_id, image_id):
    journey_id = str(journey_id)
    details = ui.service.followup_rpc.image_details(journey_id, image_id[:36])
    ui.log_access(journey_id, "ui_image")
    preset = ui.request.args.get("preset") or ("bone" if details["media_type"] == "application/dicom"
                                                else "default")
    preset = preset if preset in details["presets"] else "default"
    return ui.render("images.html", listing=None, image=details, journey_id=journey_id, preset=preset,
                     identity_words=IDENTITY_WORDS)


@page("journeys/<uuid:journey_id>/images/<string:image_id>/preview.png", roles=READERS,
      action=N_("see the preview of an image"))
def image_preview(ui, journey_id, image_id):
    journey_id = str(journey_id)
    preset = (ui.request.args.get("preset") or "default")[:20]
    rendered = ui.service.followup_rpc.image_preview(journey_id, image_id[:36], preset)
    ui.log_access(journey_id, "ui_image_preview")
    return Response(base64.b64decode(rendered["content_b64"]), content_type="image/png")


@page("journeys/<uuid:journey_id>/images/<string:image_id>/original", roles=READERS,
      action=N_("read an image as it was received"))
def image_original(ui, journey_id, image_id):
    journey_id = str(journey_id)
    original = ui.service.followup_rpc.image_original(journey_id, image_id[:36])
    ui.log_access(journey_id, "ui_image_original")
    return Response(base64.b64decode(original["content_b64"]), content_type=original["media_type"],
                    headers={"Content-Disposition": f'attachment; filename="{original["filename"]}"'})
