"""What a picture or a document a patient sends really is, judged by its content, never by its name.

JPEG, PNG and PDF are known by their first bytes (filetype), must be complete (their end marker is
there: not cut off in transfer) and must decode from end to end (Pillow, pypdf), so a file that only
starts and ends like a picture, with something else inside, is refused. Follow-up's uploads add DICOM
to these (services/followup/adapters/inspection.py); notifications checks the attachments of the care
team's messages with them. A refusal is an `Invalid` naming the form's field.
"""
import io

import filetype
import pypdf
from PIL import Image

from shared.errors import Invalid

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
PICTURES_AND_DOCUMENTS = (JPEG, PNG, PDF)


def refuse(message: str, field: str = "file", **details) -> Invalid:
    return Invalid(message, fields={field: [message]}, **details)


def media_type_of(data: bytes) -> str | None:
    """The media type the content says it is (None when it is none we know)."""
    kind = filetype.guess(data)
    return kind.mime if kind else None


def check_picture_or_document(media_type: str, data: bytes, field: str = "file") -> None:
    """A JPEG, PNG or PDF that is complete and decodes in full; Invalid with the reason otherwise."""
    if not _complete(media_type, data):
        raise refuse("the file is incomplete (cut off during transfer?)", field, detected=media_type)
    if not _decodes(media_type, data):
        raise refuse("the file cannot be read as the image or document it claims to be", field,
                     detected=media_type)


def inspect_picture_or_document(data: bytes, max_bytes: int, field: str = "file") -> str:
    """The media type of a JPEG, PNG or PDF within `max_bytes`; Invalid with the reason otherwise."""
    if not data:
        raise refuse("the file is empty", field)
    if len(data) > max_bytes:
        raise refuse("the file is larger than the limit", field, max_bytes=max_bytes)
    media_type = media_type_of(data)
    if media_type not in PICTURES_AND_DOCUMENTS:
        raise refuse("only JPEG, PNG or PDF files are accepted", field, detected=media_type or "unknown")
    check_picture_or_document(media_type, data, field)
    return media_type


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
