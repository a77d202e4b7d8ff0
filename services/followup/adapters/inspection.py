"""What an uploaded file really is, judged by its content, never by its name.

Accepted: DICOM (Part 10), JPEG, PNG and PDF, complete (not cut off), decodable
from end to end (a file that only starts and ends like an image, with something
else inside, is refused) and within the size limit. A DICOM file's patient
identifiers are read so the caller can compare them with the journey; they are
returned, never logged or stored.
"""
import io
from dataclasses import dataclass

import filetype
import pydicom
import pypdf
from PIL import Image
from pydicom.errors import InvalidDicomError

from shared.errors import Invalid

DICOM, JPEG, PNG, PDF = "application/dicom", "image/jpeg", "image/png", "application/pdf"
ACCEPTED = (DICOM, JPEG, PNG, PDF)
_UNDEFINED = 0xFFFFFFFF
_IMAGE_DATA = (0x7FE00010, 0x00420011)  # PixelData, EncapsulatedDocument


@dataclass(frozen=True)
class Inspected:
    media_type: str
    size_bytes: int
    patient_id: str | None = None
    patient_name: str | None = None


def refuse(message: str, **details) -> Invalid:
    return Invalid(message, fields={"file": [message]}, **details)


def inspect(data: bytes, max_bytes: int) -> Inspected:
    """The file's media type (and DICOM identifiers); Invalid with the reason otherwise."""
    if not data:
        raise refuse("the file is empty")
    if len(data) > max_bytes:
        raise refuse("the file is larger than the limit", max_bytes=max_bytes)
    kind = filetype.guess(data)
    media_type = kind.mime if kind else None
    if media_type not in ACCEPTED:
        raise refuse("only DICOM, JPEG, PNG or PDF files are accepted",
                     detected=media_type or "unknown")
    if media_type == DICOM:
        return _dicom(data)
    if not _complete(media_type, data):
        raise refuse("the file is incomplete (cut off during transfer?)", detected=media_type)
    if not _decodes(media_type, data):
        raise refuse("the file cannot be read as the image or document it claims to be",
                     detected=media_type)
    return Inspected(media_type, len(data))


def _complete(media_type: str, data: bytes) -> bool:
    # Each format has an end marker; a file cut off in transfer lacks it.
    tail = data[-1024:]
    if media_type == PNG:
        return data.endswith(b"IEND\xaeB`\x82")
    if media_type == JPEG:
        return b"\xff\xd9" in tail
    return b"%%EOF" in tail


def _decodes(media_type: str, data: bytes) -> bool:
    """Decoded in full: every PNG chunk's checksum and the pixels; every PDF object."""
    try:
        if media_type == PDF:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
            return len(reader.pages) > 0 and all(page.mediabox is not None for page in reader.pages)
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image.width > 0 and image.height > 0
    except Exception:   # Pillow and pypdf raise many kinds on a broken file; each is a refusal
        return False


def _dicom(data: bytes) -> Inspected:
    try:
        dataset = pydicom.dcmread(io.BytesIO(data))
        truncated = any(_short(dataset.get_item(tag)) for tag in dataset.keys())
        has_image = any(tag in dataset for tag in _IMAGE_DATA)
        patient_id = str(dataset.get("PatientID", "") or "") or None
        patient_name = str(dataset.get("PatientName", "") or "") or None
    except (InvalidDicomError, EOFError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise refuse("the DICOM file cannot be read", detected=DICOM, reason=type(exc).__name__) from None
    except Exception:  # pydicom raises bare struct.error and friends on broken files
        raise refuse("the DICOM file cannot be read", detected=DICOM) from None
    if truncated or not has_image:
        raise refuse("the DICOM file is incomplete (no complete image data)", detected=DICOM)
    return Inspected(DICOM, len(data), patient_id, patient_name)


def _short(element) -> bool:
    """A raw element whose value is shorter than its declared length was cut off."""
    length = getattr(element, "length", None)
    value = getattr(element, "value", None)
    if length in (None, _UNDEFINED) or not isinstance(value, bytes):
        return False
    return len(value) < length
