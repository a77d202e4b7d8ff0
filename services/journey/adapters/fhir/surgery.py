"""The operation: one Procedure per side operated (a bilateral patient has two), each with the implant
placed there as a Device (lot, serial and their UDI production identifiers)."""
from services.journey.domain.record import Record

SIDES = {"both": ("left", "right")}


def procedures(b, r: Record, subject: dict) -> None:
    if r.performed:
        done = r.performed
        for n, implant in enumerate(implants_of(done)):
            device = _device(b, subject, done, n)
            _procedure(b, subject, implant["side"], n, status="completed",
                       performedDateTime=done["performed_on"].isoformat(),
                       focalDevice=[{"action": {"text": "implanted"}, "manipulated": {"reference": device}}])
    elif r.surgery:
        amputated = (r.accepted or {}).get("amputation_side") or "operated"
        for n, side in enumerate(SIDES.get(amputated, (amputated,))):
            _procedure(b, subject, side, n, status="not-done" if r.cancelled else "preparation",
                       performedDateTime=r.surgery["surgery_date"].isoformat())


def _procedure(b, subject: dict, side: str, n: int, **fields) -> None:
    # the first side keeps the id a one-sided export always had
    b.add({"resourceType": "Procedure", "subject": subject,
           "code": {"text": "Osseointegration: bone-anchored implant placement"},
           "bodySite": [{"text": f"{side} residual limb"}], **fields}, "surgery", *([side] if n else []))


def implants_of(performed: dict) -> list[dict]:
    """One implant per side operated; a surgery_performed v1 fact held one side's fields itself."""
    return performed.get("implants") or [performed]


def _device(b, subject: dict, done: dict, n: int) -> str:
    """The implant placed on one side (traceability by lot and serial)."""
    implant = implants_of(done)[n]
    device = {"resourceType": "Device", "status": "active", "patient": subject,
              "lotNumber": implant["implant_lot"], "type": {"text": implant["implant_type"]},
              "udiCarrier": [{"carrierHRF": udi_production(implant)}],
              "deviceName": [{"name": f"{implant['implant_type']} {implant['implant_size']}",
                              "type": "model-name"}],
              "property": [{"type": {"text": "size"}, "valueCode": [{"text": implant["implant_size"]}]},
                           {"type": {"text": "side"}, "valueCode": [{"text": implant["side"]}]}]}
    if implant.get("implant_serial"):
        device["serialNumber"] = implant["implant_serial"]
    return b.add(device, "implant", done["surgery_id"], *([implant["side"]] if n else []))


def udi_production(implant: dict) -> str:
    """The UDI's production identifiers in GS1 human-readable form: (10) lot, (21) serial. The device
    identifier (01) is not recorded at surgery today, so the carrier holds these only."""
    serial = f"(21){implant['implant_serial']}" if implant.get("implant_serial") else ""
    return f"(10){implant['implant_lot']}{serial}"
