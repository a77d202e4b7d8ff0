"""FHIR R4 (4.0.1) export of one journey: a collection Bundle of plain JSON resources.

The resources are built from the facts the projection holds (ids, dates, codes); names, contact
details and the questionnaire's answers come only from `personal`, fetched by the caller when the
export is asked. The tests validate every bundle against the official R4 JSON schema
(tests/fhir_r4), not only against the code that built it.
"""
import uuid
from datetime import datetime, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.journey.adapters.fhir import (
    care,
    clinical,
    imaging,
    money,
    observations,
    questionnaire,
    surgery,
)
from services.journey.domain.projection import Projection
from shared.clock import CLINIC_TZ

FHIR_VERSION = "4.0.1"
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
    """The journey as a FHIR R4 Bundle (JSON). Its timestamp is the journey's last fact, or `now` for a
    journey with none."""
    b = Builder(p.journey_id, timezone)
    patient = {"reference": b.add(clinical.patient(p.record, personal), "patient")}
    for build in (observations.amputation, observations.measurements, clinical.intake, care.appointments,
                  care.care_plans, money.invoice, money.payment_notices, surgery.procedures, imaging.images,
                  care.communications):
        build(b, p.record, patient)
    questionnaire.submitted(b, p.record, patient, personal.get("questionnaire"))
    stamped = p.record.last_at or now
    return _json({
        "resourceType": "Bundle", "type": "collection",
        "identifier": {"system": "urn:carepath:journey", "value": p.journey_id},
        **({"timestamp": stamped.isoformat()} if stamped else {}),
        "meta": {"tag": [{"system": "urn:carepath:fhir-version", "code": FHIR_VERSION}]},
        "entry": b.entries})


def _json(value):
    """FHIR decimals are JSON numbers: amounts and kilograms leave as numbers, never as text."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
