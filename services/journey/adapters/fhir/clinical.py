"""Patient, intake answers, the surgery with its implant, and follow-up images."""
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
                  _answer("body_weight_kg", "Body weight (kg)", {"valueDecimal": a["body_weight_kg"]})]
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


def procedure(b, r: Record, subject: dict) -> None:
    """The implant surgery; the implant placed is a Device (traceability by lot)."""
    if not (r.performed or r.surgery):
        return
    resource = {"resourceType": "Procedure", "subject": subject,
                "code": {"text": "Osseointegration: bone-anchored implant placement"}}
    if r.performed:
        done, sides = r.performed, implants_of(r.performed)
        devices = [{"action": {"text": "implanted"},
                    "manipulated": {"reference": _device(b, subject, done, n)}} for n in range(len(sides))]
        resource.update(status="completed", performedDateTime=done["performed_on"].isoformat(),
                        bodySite=[{"text": f"{side['side']} residual limb"} for side in sides],
                        focalDevice=devices)
    else:
        resource.update(status="not-done" if r.cancelled else "preparation",
                        performedDateTime=r.surgery["surgery_date"].isoformat())
    b.add(resource, "surgery")


def implants_of(performed: dict) -> list[dict]:
    """One implant per side operated; a surgery_performed v1 fact held one side's fields itself."""
    return performed.get("implants") or [performed]


def _device(b, subject: dict, done: dict, n: int) -> str:
    """The implant placed on one side (traceability by lot and serial)."""
    implant = implants_of(done)[n]
    device = {"resourceType": "Device", "status": "active", "patient": subject,
              "lotNumber": implant["implant_lot"], "type": {"text": implant["implant_type"]},
              "deviceName": [{"name": f"{implant['implant_type']} {implant['implant_size']}",
                              "type": "model-name"}],
              "property": [{"type": {"text": "size"}, "valueCode": [{"text": implant["implant_size"]}]},
                           {"type": {"text": "side"}, "valueCode": [{"text": implant["side"]}]}]}
    if implant.get("implant_serial"):
        device["serialNumber"] = implant["implant_serial"]
    # the first side keeps the id a one-sided export always had
    return b.add(device, "implant", done["surgery_id"], *([implant["side"]] if n else []))


def images(b, r: Record, subject: dict) -> None:
    for image in r.images:
        b.add({"resourceType": "DocumentReference", "status": "current", "subject": subject,
               "identifier": [{"system": f"{_SYSTEM}:image", "value": image["image_id"]},
                              {"system": f"{_SYSTEM}:sha256", "value": image["sha256"]}],
               "type": {"text": f"Follow-up image: {image['body_part']}"}, "date": image["at"].isoformat(),
               "content": [{"attachment": {"contentType": image["media_type"],
                                           "url": f"{_SYSTEM}:image:{image['image_id']}",
                                           "title": image["body_part"]}}]}, "image", image["image_id"])
