"""Images sent from home: an X-ray (DICOM) is an ImagingStudy; a photo or a scan is a DocumentReference."""
from services.journey.domain.record import Record

_SYSTEM = "urn:carepath"
DICOM = "application/dicom"


def images(b, r: Record, subject: dict) -> None:
    for image in r.images:
        identifiers = [{"system": f"{_SYSTEM}:image", "value": image["image_id"]},
                       {"system": f"{_SYSTEM}:sha256", "value": image["sha256"]}]
        if image["media_type"] == DICOM:
            b.add({"resourceType": "ImagingStudy", "status": "available", "subject": subject,
                   "identifier": identifiers, "started": image["at"].isoformat(), "numberOfInstances": 1,
                   "description": f"Follow-up X-ray: {image['body_part']}"}, "image", image["image_id"])
            continue
        b.add({"resourceType": "DocumentReference", "status": "current", "subject": subject,
               "identifier": identifiers,
               "type": {"text": f"Follow-up image: {image['body_part']}"}, "date": image["at"].isoformat(),
               "content": [{"attachment": {"contentType": image["media_type"],
                                           "url": f"{_SYSTEM}:image:{image['image_id']}",
                                           "title": image["body_part"]}}]}, "image", image["image_id"])
