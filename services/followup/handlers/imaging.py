"""Images into the patient file: checked, stored once (file store or PACS), then a review task for the
specialist."""
import base64
import binascii
import hashlib

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from services.followup.adapters import inspection
from services.followup.adapters.imagestore import ImageStore
from services.followup.domain import assessment, identity
from services.followup.handlers import deadlines, new_id
from services.followup.handlers.checkups import find_checkup
from services.followup.handlers.plans import patient_of
from services.followup.models import Image, PatientReference, ReviewTask
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import ImagingReceived
from shared.errors import Invalid


def upload_image(uow, store: ImageStore, clock: ClinicClock, s: Settings, journey_id: str,
                 content_b64: str, meta: dict) -> dict:
    """Check an upload by its content, store it once, and ask the specialist to review it.

    Returns the image and whether it was already in the patient file (`duplicate`).
    """
    return store_image(uow, store, clock, s, journey_id, _decode(content_b64, s.max_upload_bytes), meta)


def store_image(uow, store: ImageStore, clock: ClinicClock, s: Settings, journey_id: str, data: bytes,
                meta: dict, via: str | None = None, by: str | None = None) -> dict:
    """The upload's steps on raw bytes (a patient's or staff upload, or a study a clinic sent)."""
    found = inspection.inspect(data, s.max_upload_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    with uow:
        patient = patient_of(uow.session, journey_id)
        existing = _existing(uow.session, journey_id, sha256)
        if existing is not None:
            return {"image": existing, "duplicate": True}
        if meta["checkup_id"]:
            find_checkup(uow.session, journey_id, meta["checkup_id"])
        status = _identity(uow.session, patient, found)
    # Outside the transaction; the same bytes land in the same place, so a retry finds them there.
    location = store.put(data, found.media_type)
    try:
        with uow:
            image = _record(uow, clock, s, journey_id, sha256, found, meta, status, via, by)
            image.location = None if location == sha256 else location
            return {"image": image, "duplicate": False}
    except IntegrityError:  # the same file arrived twice at once: the other upload recorded it
        with uow:
            return {"image": _existing(uow.session, journey_id, sha256), "duplicate": True}


def _decode(content_b64: str, max_bytes: int) -> bytes:
    if not isinstance(content_b64, str):
        raise inspection.refuse("the file must be sent as base64 text")
    if len(content_b64) > (max_bytes // 3 + 1) * 4:
        raise inspection.refuse("the file is larger than the limit", max_bytes=max_bytes)
    try:
        return base64.b64decode(content_b64, validate=True)
    except (binascii.Error, ValueError):
        raise inspection.refuse("the file is not valid base64") from None


def _existing(session, journey_id: str, sha256: str) -> Image | None:
    return session.scalar(select(Image).where(Image.journey_id == journey_id, Image.sha256 == sha256))


def _identity(session, patient, found: inspection.Inspected) -> str:
    if found.media_type != inspection.DICOM:
        return identity.NOT_APPLICABLE
    refs = session.scalars(select(PatientReference).where(PatientReference.journey_id == patient.journey_id))
    refs = list(refs)
    ids = {patient.journey_id, *([patient.enquiry_id] if patient.enquiry_id else [])}
    ids |= {ref.value for ref in refs if ref.kind == "patient_id"}
    names = {ref.value for ref in refs if ref.kind == "patient_name"}
    return identity.identity_status(found.patient_id, found.patient_name, ids, names)


def _record(uow, clock: ClinicClock, s: Settings, journey_id: str, sha256: str, found, meta: dict,
            status: str, via: str | None, by: str | None) -> Image:
    via = via or ("patient_link" if (uow.actor or "").startswith("patient:") else "staff")
    image = Image(id=new_id(), journey_id=journey_id, sha256=sha256, media_type=found.media_type,
                  size_bytes=found.size_bytes, body_part=meta["body_part"], made_where=meta["made_where"],
                  made_on=meta["made_on"], checkup_id=meta["checkup_id"],
                  uploaded_by=by or uow.actor or "system", uploaded_via=via, uploaded_at=clock.now(),
                  identity=status)
    due = assessment.review_due(clock.today(), s.review_due_days)
    uow.session.add(image)
    uow.session.flush()
    uow.session.add(ReviewTask(id=new_id(), journey_id=journey_id, image_id=image.id, due_on=due,
                               status="open"))
    uow.emit(ImagingReceived, {
        "image_id": image.id, "sha256": sha256, "media_type": found.media_type,
        "body_part": image.body_part, "review_due": due, "uploaded_via": via,
        "identity_mismatch": identity.needs_attention(status)}, journey_id)
    deadlines.arm_review(uow, clock, journey_id, image.id, due)
    return image


def set_patient_references(uow, journey_id: str, data: dict) -> dict:
    """The identifiers this patient's DICOM files may carry (replaces the earlier list)."""
    if not data["patient_ids"] and not data["patient_names"]:
        raise Invalid("name at least one reference", fields={"patient_ids": ["or patient_names"]})
    with uow:
        patient_of(uow.session, journey_id)
        uow.session.execute(delete(PatientReference).where(PatientReference.journey_id == journey_id))
        for kind, values in (("patient_id", data["patient_ids"]), ("patient_name", data["patient_names"])):
            for value in dict.fromkeys(v.strip() for v in values):
                uow.session.add(PatientReference(journey_id=journey_id, kind=kind, value=value))
    return {"patient_ids": len(set(data["patient_ids"])), "patient_names": len(set(data["patient_names"]))}
