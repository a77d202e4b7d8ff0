"""Surgery's facts as the patient and the FHIR export read them: a postponement in the country,
and an implant on each side."""
from datetime import UTC, date, datetime, timedelta

from services.journey.adapters import fhir
from services.journey.domain import patient, wording
from services.journey.domain.projection import project
from services.journey.tests.story import event, new_journey
from services.journey.tests.unit.facts import fact
from tests.fhir_r4 import problems

D = timedelta(days=1)
SURGERY = date(2027, 3, 24)
PLAN = {"surgery_id": "S-1", "arrival_by": SURGERY - 2 * D, "preop_check_date": SURGERY - D,
        "surgery_date": SURGERY, "planned_ward_discharge": SURGERY + 4 * D,
        "planned_rehab_end": SURGERY + 32 * D, "departure_date": SURGERY + 33 * D}
MOVED = dict(PLAN, preop_check_date=SURGERY + 6 * D, surgery_date=SURGERY + 7 * D,
             planned_ward_discharge=SURGERY + 11 * D, planned_rehab_end=SURGERY + 39 * D,
             departure_date=SURGERY + 40 * D, reason_code="not_fit_for_surgery")
IMPLANT = {"implant_type": "OPRA", "implant_size": "16mm"}


def _project(*specs):
    journey, start = new_journey(), datetime(2027, 3, 1, 9, tzinfo=UTC)
    facts = [fact(event("surgery", kind, payload, journey, at=start + n * D)) for n, (kind, payload)
             in enumerate(specs)]
    return project(journey, facts)


def test_a_patient_postponed_while_in_the_netherlands_reads_the_new_plan_plainly_and_one_at_home_does_not():
    moved = _project(("surgery_scheduled", PLAN),
                     ("preop_check_recorded", {"surgery_id": "S-1", "fit": False}),
                     ("surgery_rescheduled", dict(MOVED, patient_in_country=True)))
    [first, *_] = patient.next_steps(moved)
    assert first == ("Your surgery has moved to 31 March 2027, with the medical check on 30 March 2027. "
                     "Please stay in the Netherlands: your hotel is extended and your flight home is moved "
                     "to 3 May 2027.")
    whats = [a.what for a in patient.appointments(moved.record, SURGERY)]
    assert "Arrive in the Netherlands (at the latest)" not in whats and "Your surgery" in whats
    assert "hotel extended" in moved.timeline[-1].summary
    at_home = _project(("surgery_scheduled", PLAN),
                       ("surgery_rescheduled", dict(MOVED, reason_code="clinical")))
    assert not any("stay in the Netherlands" in step for step in patient.next_steps(at_home))
    assert "Arrive in the Netherlands (at the latest)" in [
        a.what for a in patient.appointments(at_home.record, SURGERY)]


def test_a_bilateral_operation_exports_one_procedure_and_one_device_per_side_and_reads_both_lots():
    left = dict(IMPLANT, side="left", implant_lot="L-1")
    right = dict(IMPLANT, side="right", implant_lot="R-1", implant_serial="SN-R")
    performed = {"surgery_id": "S-1", "performed_on": SURGERY, **left, "implants": [left, right]}
    projection = _project(("surgery_scheduled", PLAN), ("surgery_performed", performed))
    bundle = fhir.bundle(projection, {})
    assert problems(bundle) == []
    devices = {e["fullUrl"]: e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "Device"}
    assert [(d["lotNumber"], d.get("serialNumber"), d["udiCarrier"][0]["carrierHRF"])
            for d in devices.values()] == [("L-1", None, "(10)L-1"), ("R-1", "SN-R", "(10)R-1(21)SN-R")]
    procedures = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert [(p["bodySite"][0]["text"], devices[p["focalDevice"][0]["manipulated"]["reference"]]["lotNumber"])
            for p in procedures] == [("left residual limb", "L-1"), ("right residual limb", "R-1")]
    assert "lot L-1" in projection.timeline[-1].summary and "lot R-1" in projection.timeline[-1].summary


def test_an_operation_announced_before_sides_were_listed_still_exports_its_one_device():
    performed = {"surgery_id": "S-1", "performed_on": SURGERY, "side": "left", "implant_lot": "L-9",
                 **IMPLANT}
    entries = fhir.bundle(_project(("surgery_performed", performed)), {})["entry"]
    lots = [e["resource"]["lotNumber"] for e in entries if e["resource"]["resourceType"] == "Device"]
    assert lots == ["L-9"]
    assert wording.SUMMARY["surgery_performed"](performed).startswith("Surgery performed (left: implant OPRA")


def test_a_bilateral_patient_not_yet_operated_exports_a_planned_procedure_and_condition_for_each_side():
    accepted = {"enquiry_id": "E-1", "amputation_level": "transfemoral", "amputation_side": "both",
                "body_weight_kg": "70.0", "preferred_language": "en", "country": "PL"}
    bundle = fhir.bundle(_project(("patient_accepted", accepted), ("surgery_scheduled", PLAN)), {})
    assert problems(bundle) == []
    kinds = [e["resource"] for e in bundle["entry"]]
    assert [(p["status"], p["bodySite"][0]["text"]) for p in kinds if p["resourceType"] == "Procedure"] == [
        ("preparation", "left residual limb"), ("preparation", "right residual limb")]
    (condition,) = [c for c in kinds if c["resourceType"] == "Condition"]
    assert [site["text"] for site in condition["bodySite"]] == ["left limb, transfemoral",
                                                                "right limb, transfemoral"]
