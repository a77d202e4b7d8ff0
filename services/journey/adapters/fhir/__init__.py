"""FHIR export of one journey: a collection Bundle, validated with fhir.resources.

The models are fhir.resources' R4B package (FHIR 4.3, the R4 family: the
resources used here are the same as R4's). Resources are built from the
facts the projection holds (ids, dates, codes); names and contact details
come only from `personal`, fetched by the caller when the export is asked.
"""
import json
import uuid
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from fhir.resources.R4B.bundle import Bundle

from services.journey.adapters.fhir import care, clinical, money
from services.journey.domain.projection import Projection
from shared.clock import CLINIC_TZ

FHIR_VERSION = "4.3.0"
_NAMESPACE = uuid.UUID("6f1c1bde-57d4-4a8e-9a52-0c1f2b7f4e11")


class Builder:
    """Collects resources with stable ids (the same journey exports the same ids)."""

    def __init__(self, journey_id: str, timezone: tzinfo):
        self.journey_id = journey_id
        self.timezone = timezone  # the clinic's: a day-long appointment spans its day there
        self.entries: list[dict] = []

    def add(self, resource: dict, *key: str) -> str:
        resource_id = str(uuid.uuid5(_NAMESPACE, "/".join((self.journey_id, resource["resourceType"], *key))))
        full_url = f"urn:uuid:{resource_id}"
        self.entries.append({"fullUrl": full_url, "resource": dict(resource, id=resource_id)})
        return full_url


def bundle(p: Projection, personal: dict, *, now: datetime | None = None,
           timezone: tzinfo = ZoneInfo(CLINIC_TZ)) -> dict:
    """The journey as a validated FHIR Bundle (JSON); raises if a resource breaks the spec.

    Its timestamp is the journey's last fact, or `now` for a journey with none.
    """
    b = Builder(p.journey_id, timezone)
    patient = b.add(clinical.patient(p.record, personal), "patient")
    for build in (clinical.intake, care.appointments, care.care_plans, money.invoice,
                  money.payment_notices, clinical.procedure, clinical.images, care.communications):
        build(b, p.record, {"reference": patient})
    stamped = p.record.last_at or now
    validated = Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection",
        "identifier": {"system": "urn:carepath:journey", "value": p.journey_id},
        **({"timestamp": stamped.isoformat()} if stamped else {}),
        "meta": {"tag": [{"system": "urn:carepath:fhir-version", "code": FHIR_VERSION}]},
        "entry": b.entries})
    return json.loads(validated.model_dump_json())
