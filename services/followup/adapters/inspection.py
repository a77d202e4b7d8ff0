"""What an uploaded file really is, judged by its content, never by its name.

Accepted: DICOM (Part 10), JPEG, PNG and PDF, complete (not cut off), decodable
from end to end (a file that only starts and ends like an image, with something
else inside, is refused) and within the size limit; the pictures and documents are
checked by the kernel's shared/files.py. A DICOM file's patient identifiers are read
so the caller can compare them with the journey; they are returned, never logged or
stored.
"""
import io
from dataclasses import dataclass

import pydicom
from pydicom.errors import InvalidDicomError

from shared import files
from shared.errors import Invalid
from shared.files import JPEG, PDF, PNG

DICOM = "application/dicom"
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
    media_type = files.media_type_of(data)
    if media_type not in ACCEPTED:
        raise refuse("only DICOM, JPEG, PNG or PDF files are accepted",
                     detected=media_type or "unknown")
    if media_type == DICOM:
        return _dicom(data)
    files.check_picture_or_document(media_type, data)
    return Inspected(media_type, len(data))


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
