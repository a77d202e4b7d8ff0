"""The imaging accession number we issue per journey, for a radiology clinic to put on the studies
it sends us (DICOM AccessionNumber, at most 16 characters): "CP" and the journey id's first 14 hex
digits. It names the journey without naming the patient; 56 bits make a clash between two journeys
improbable, and a clash is refused rather than guessed (handlers/senders.py)."""
import re

PREFIX = "CP"
_FORM = re.compile(r"^CP[0-9a-f]{14}$")


def accession_for(journey_id: str) -> str:
    return PREFIX + journey_id.replace("-", "").lower()[:14]


def journey_prefix(accession: str | None) -> str | None:
    """The start of the journey id (with its dashes) an accession number names, or None."""
    value = (accession or "").strip()
    value = value[:2].upper() + value[2:].lower()
    if not _FORM.match(value):
        return None
    digits = value[2:]
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:]}"
