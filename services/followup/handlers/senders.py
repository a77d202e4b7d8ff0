"""Radiology clinics in the patients' countries send studies over DICOMweb (STOW-RS, through the
gateway): each clinic is registered with a token of its own, kept only as a hash; each study lands
on the journey its accession number names (domain/accession.py) and enters the same review as an
upload, with the identity check of its PatientID."""
import base64
import hashlib
import hmac
import io
import re
import secrets
from datetime import date

import pydicom
from sqlalchemy import select

from services.followup.adapters.imagestore import ImageStore
from services.followup.domain.accession import journey_prefix
from services.followup.handlers import new_id
from services.followup.handlers.imaging import store_image
from services.followup.models import ImageSender, Patient
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.errors import CarepathError, Forbidden, Invalid, Unauthorized, Unavailable

VIA = "radiology_clinic"


def register_sender(uow, clock: ClinicClock, data: dict) -> dict:
    """A sending clinic and its token, shown this once (only its SHA-256 is kept)."""
    secret = secrets.token_urlsafe(32)
    with uow:
        sender = ImageSender(id=new_id(), institution=data["institution"], token_sha256=_hash(secret),
                             registered_by=uow.actor or "unknown", registered_at=clock.now(), active=True)
        uow.session.add(sender)
        return {"id": sender.id, "institution": sender.institution, "token": f"{sender.id}.{secret}",
                "registered_at": sender.registered_at}


def withdraw_sender(uow, sender_id: str) -> dict:
    """The clinic may send no more studies."""
    with uow:
        sender = uow.session.get(ImageSender, sender_id)
        if sender is None:
            raise Invalid("no such sending clinic", fields={"sender_id": ["unknown"]})
        sender.active = False
        return {"id": sender.id, "institution": sender.institution, "registered_at": sender.registered_at}


def receive_studies(uow, store: ImageStore, clock: ClinicClock, s: Settings, token: str | None,
                    parts_b64: list[str]) -> dict:
    """Every instance of a STOW-RS request, each stored on its journey or failed with the reason."""
    sender = _authenticate(uow, token)
    stored, failed = [], []
    for part in parts_b64:
        data = base64.b64decode(part)
        uid = _sop_uid(data)
        try:
            journey_id = _journey_of(uow, data)
            meta = _meta(data, sender)
            result = store_image(uow, store, clock, s, journey_id, data, meta, via=VIA,
                                 by=f"sender:{sender['id']}")
        except Unavailable:
            raise  # the archive is away: the sending clinic retries the whole request later
        except CarepathError as exc:
            failed.append({"sop_instance_uid": uid, "reason": exc.message})
            continue
        stored.append({"sop_instance_uid": uid, "journey_id": journey_id, "image_id": result["image"].id,
                       "duplicate": result["duplicate"]})
    return {"sender_id": sender["id"], "stored": stored, "failed": failed}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _authenticate(uow, token: str | None) -> dict:
    sender_id, _, secret = (token or "").partition(".")
    with uow:
        sender = uow.session.get(ImageSender, sender_id[:36]) if sender_id and secret else None
        if sender is None or not hmac.compare_digest(sender.token_sha256, _hash(secret)):
            raise Unauthorized("this sending clinic is not registered, or its token is wrong")
        if not sender.active:
            raise Forbidden("this sending clinic may no longer send studies")
        return {"id": sender.id, "institution": sender.institution}


def _read(data: bytes):
    try:
        return pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
    except Exception:   # pydicom raises many kinds on a broken file; each is a refusal of that part
        raise Invalid("the part is not a DICOM file") from None


def _sop_uid(data: bytes) -> str | None:
    try:
        return str(_read(data).get("SOPInstanceUID") or "") or None
    except Invalid:
        return None


def _journey_of(uow, data: bytes) -> str:
    prefix = journey_prefix(str(_read(data).get("AccessionNumber") or ""))
    if prefix is None:
        raise Invalid("the study carries no accession number of ours (CP and 14 hex digits)")
    with uow:
        journeys = list(uow.session.scalars(select(Patient.journey_id).where(
            Patient.journey_id.like(prefix + "%")).limit(2)))
    if len(journeys) != 1:
        raise Invalid("no single journey has this accession number")
    return journeys[0]


def _meta(data: bytes, sender: dict) -> dict:
    header = _read(data)
    part = re.sub(r"[^a-z0-9]+", "_", str(header.get("BodyPartExamined") or "").lower()).strip("_")
    part = part if part[:1].isalpha() else "unspecified"
    when = str(header.get("StudyDate") or "")
    try:
        made_on = date(int(when[:4]), int(when[4:6]), int(when[6:8])) if len(when) == 8 else None
    except ValueError:
        made_on = None
    return {"body_part": part[:60], "made_where": sender["institution"], "made_on": made_on,
            "checkup_id": None}
