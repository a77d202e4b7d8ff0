"""What a receiving hospital reads first: the amputation (Condition), the body weight and the load on
the implant reached in rehabilitation (Observation)."""
from decimal import Decimal

from services.journey.domain.record import Record

UCUM = "http://unitsofmeasure.org"
CLINICAL = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        "code": "active"}]}
CONFIRMED = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                         "code": "confirmed"}]}
VITAL_SIGNS = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "vital-signs"}]}]
THERAPY = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "therapy"}]}]
BODY_WEIGHT = {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}],
               "text": "Body weight"}


def _kg(value) -> dict:
    return {"value": Decimal(str(value)), "unit": "kg", "system": UCUM, "code": "kg"}


def amputation(b, r: Record, subject: dict) -> None:
    if not r.accepted:
        return
    level, side = r.accepted["amputation_level"], r.accepted["amputation_side"]
    sides = ("left", "right") if side == "both" else (side,)
    b.add({"resourceType": "Condition", "clinicalStatus": CLINICAL, "verificationStatus": CONFIRMED,
           "code": {"coding": [{"system": "urn:carepath:amputation-level", "code": level}],
                    "text": f"Amputation, {level.replace('_', ' ')} ({side})"},
           "bodySite": [{"text": f"{s} limb, {level.replace('_', ' ')}"} for s in sides],
           "subject": subject}, "amputation")


def measurements(b, r: Record, subject: dict) -> None:
    if r.accepted and r.accepted.get("body_weight_kg") is not None:
        b.add({"resourceType": "Observation", "status": "final", "category": VITAL_SIGNS,
               "code": BODY_WEIGHT, "subject": subject,
               **({"effectiveDateTime": r.accepted_on.isoformat()} if r.accepted_on else {}),
               "valueQuantity": _kg(r.accepted["body_weight_kg"])}, "weight")
    rehab = r.rehab or {}
    if rehab.get("load_kg") is not None:
        b.add({"resourceType": "Observation", "status": "final", "category": THERAPY,
               "code": {"text": "Load on the implant reached in rehabilitation"}, "subject": subject,
               **({"effectiveDateTime": rehab["load_reached_on"].isoformat()}
                  if rehab.get("load_reached_on") else {}),
               "valueQuantity": _kg(rehab["load_kg"]),
               **({"referenceRange": [{"high": _kg(rehab["target_load_kg"]), "text": "target load"}]}
                  if rehab.get("target_load_kg") is not None else {})}, "rehab-load")
