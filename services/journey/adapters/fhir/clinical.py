"""The Patient and the answers they gave: the suitability intake and the screening questionnaire."""
from decimal import Decimal

from services.journey.domain.record import Record

_SYSTEM = "urn:carepath"


def patient(r: Record, personal: dict) -> dict:
    resource = {"resourceType": "Patient",
                "identifier": [{"system": f"{_SYSTEM}:journey", "value": r.journey_id}]}
    if r.language:
        resource["communication"] = [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                               "code": r.language}]}, "preferred": True}]
    if r.country:
        resource["address"] = [{"country": r.country}]
    if personal.get("name"):
        resource["name"] = [{"text": personal["name"]}]
    telecom = [{"system": system, "value": personal[key]}
               for system, key in (("email", "email"), ("phone", "phone")) if personal.get(key)]
    if telecom:
        resource["telecom"] = telecom
    if personal.get("date_of_birth"):
        resource["birthDate"] = personal["date_of_birth"]
    return resource


def _answer(link_id: str, text: str, value: dict) -> dict:
    return {"linkId": link_id, "text": text, "answer": [value]}


def intake(b, r: Record, subject: dict) -> None:
    """The suitability intake and pre-screen, as far as the facts tell it."""
    items = []
    if r.prescreen:
        outcome = {"valueString": r.prescreen["outcome"]}
        items.append(_answer("prescreen_outcome", "Pre-screen outcome", outcome))
        items += [_answer("rule_fired", "Pre-screen rule", {"valueString": rule})
                  for rule in r.prescreen.get("rules_fired", [])]
    if r.accepted:
        a = r.accepted
        items += [_answer("amputation_level", "Amputation level", {"valueString": a["amputation_level"]}),
                  _answer("amputation_side", "Amputation side", {"valueString": a["amputation_side"]}),
                  _answer("body_weight_kg", "Body weight (kg)",
                          {"valueDecimal": Decimal(str(a["body_weight_kg"]))})]
        if a.get("earliest_surgery_date"):
            items.append(_answer("earliest_surgery_date", "Earliest surgery date",
                                 {"valueDate": a["earliest_surgery_date"].isoformat()}))
    items += [_answer(f"screening_{step}", f"Screening step {step.replace('_', ' ')}", {"valueBoolean": True})
              for step in r.steps]
    if not items or not r.enquiry_received_at:
        return
    b.add({"resourceType": "QuestionnaireResponse", "status": "completed", "subject": subject,
           "questionnaire": f"{_SYSTEM}:questionnaire:suitability",
           "authored": r.enquiry_received_at.isoformat(), "item": items}, "intake")
