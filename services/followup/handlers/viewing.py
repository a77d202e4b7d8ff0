"""The specialist opens the images: the list, one image with its header and identity check, its
preview and the original. The bytes come from the image store; the header is read from them."""
import base64

from sqlalchemy import select

from services.followup.adapters import preview
from services.followup.adapters.header import dicom_header
from services.followup.adapters.imagestore import ImageStore
from services.followup.adapters.inspection import DICOM
from services.followup.domain.accession import accession_for
from services.followup.domain.windowing import PRESETS
from services.followup.handlers.plans import patient_of
from services.followup.models import Assessment, Image, ReviewTask
from shared.errors import Invalid, NotFound

EXTENSIONS = {DICOM: "dcm", "image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


def list_images(uow, journey_id: str) -> dict:
    """Every image of the journey, newest first, with its review and its latest assessment."""
    with uow:
        patient_of(uow.session, journey_id)
        rows = uow.session.scalars(select(Image).where(Image.journey_id == journey_id)
                                   .order_by(Image.uploaded_at.desc()))
        return {"journey_id": journey_id, "accession_number": accession_for(journey_id),
                "images": [_summary(uow.session, image) for image in rows]}


def image_details(uow, store: ImageStore, journey_id: str, image_id: str) -> dict:
    """One image with what its DICOM header says (for a DICOM) and the identity check's result."""
    with uow:
        image = _image(uow.session, journey_id, image_id)
        summary = _summary(uow.session, image)
        assessments = list(uow.session.scalars(select(Assessment).where(
            Assessment.subject == "image", Assessment.subject_id == image.id)
            .order_by(Assessment.assessed_at)))
    header = dicom_header(store.read(_location(image))) if image.media_type == DICOM else None
    return dict(summary, header=header, assessments=assessments,
                presets=list(PRESETS) if image.media_type != "application/pdf" else [])


def image_original(uow, store: ImageStore, journey_id: str, image_id: str) -> dict:
    """The file as it was received (base64), with its media type and a file name."""
    with uow:
        image = _image(uow.session, journey_id, image_id)
    data = store.read(_location(image))
    return {"media_type": image.media_type, "filename": f"{image.id}.{EXTENSIONS[image.media_type]}",
            "content_b64": base64.b64encode(data).decode("ascii")}


def image_preview(uow, store: ImageStore, journey_id: str, image_id: str, preset: str) -> dict:
    """A PNG preview (base64); a DICOM windowed with `preset`."""
    if preset not in PRESETS:
        raise Invalid("unknown preset", fields={"preset": [f"one of {', '.join(PRESETS)}"]})
    with uow:
        image = _image(uow.session, journey_id, image_id)
    rendered = preview.render(store.read(_location(image)), image.media_type, preset)
    if rendered is None:
        raise NotFound("a PDF has no preview; download the original", image_id=image_id)
    return {"media_type": "image/png", "content_b64": base64.b64encode(rendered).decode("ascii")}


def _image(session, journey_id: str, image_id: str) -> Image:
    image = session.get(Image, image_id)
    if image is None or image.journey_id != journey_id:
        raise NotFound("no such image for this journey", image_id=image_id)
    return image


def _location(image: Image) -> str:
    return image.location or image.sha256


def _summary(session, image: Image) -> dict:
    review = session.scalar(select(ReviewTask).where(ReviewTask.image_id == image.id))
    latest = session.scalar(select(Assessment.outcome).where(
        Assessment.subject == "image", Assessment.subject_id == image.id)
        .order_by(Assessment.assessed_at.desc()).limit(1))
    stored_in = "orthanc" if (image.location or "").startswith("dicomweb:") else "files"
    return dict(vars(image), review_status=review.status if review else None,
                review_due=review.due_on if review else None, outcome=latest, stored_in=stored_in)
