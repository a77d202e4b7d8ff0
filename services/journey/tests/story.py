"""One patient's whole journey as the stages announce it, with what it should wait for after each fact."""
import dataclasses
import uuid
from datetime import date, datetime, timedelta

from shared.events import Event, new_event

DAY = timedelta(days=1)
SCREENING = ["outpatient_invitation", "consultation", "psychologist_call", "specialist_introduction",
             "questionnaire", "additional_examinations"]


@dataclasses.dataclass(frozen=True)
class Step:
    event: Event
    stage: str
    waiting: list[str]


def _plan(surgery: date) -> dict:
    return {"surgery_id": "S-1", "arrival_by": surgery - 3 * DAY, "preop_check_date": surgery - DAY,
            "surgery_date": surgery, "planned_ward_discharge": surgery + 4 * DAY,
            "planned_rehab_end": surgery + 35 * DAY, "departure_date": surgery + 36 * DAY}


def _script(start: date) -> list[tuple]:
    """(producer, type, payload, stage after it, waiting for after it)."""
    s = start + 60 * DAY  # the surgery date
    script = [
        ("enquiries", "enquiry_received", {"enquiry_id": "E-1", "kind": "suitability", "country": "DE",
                                           "preferred_language": "de"},
         "enquiry", ["prescreen"]),
        ("enquiries", "prescreen_decided", {"enquiry_id": "E-1", "outcome": "passed", "rules_fired": [],
                                            "rule_set_version": "1"},
         "screening", ["outpatient_invitation"]),
    ]
    script += [("enquiries", "screening_step_completed",
                {"enquiry_id": "E-1", "step": done, "skipped": done == "additional_examinations"},
                "screening", [following])
               # nothing waits for the optional additional examinations: once the questionnaire is in,
               # the decision is next
               for done, following in zip(SCREENING, SCREENING[1:5] + ["screening_decision"] * 2,
                                          strict=True)]
    before = ["itinerary_confirmation", "balance_payment", "preop_check"]
    return script + [
        ("enquiries", "patient_accepted", {"enquiry_id": "E-1", "amputation_level": "transfemoral",
                                           "amputation_side": "left", "body_weight_kg": "82.5",
                                           "preferred_language": "de", "country": "DE"},
         "payment", ["invoice"]),
        ("payments", "invoice_issued", {"invoice_id": "I-1", "currency": "EUR", "total_cents": 4_000_000,
                                        "deposit_cents": 2_000_000, "balance_cents": 2_000_000,
                                        "deposit_due": start + 14 * DAY, "balance_due": s - DAY},
         "payment", ["deposit"]),
        ("payments", "deposit_paid", {"invoice_id": "I-1", "paid_cents": 2_000_000},
         "scheduling", ["surgery_date"]),
        ("surgery", "surgery_scheduled", _plan(s), "surgery_planned", before),
        ("travel", "itinerary_requested", {"itinerary_id": "T-1", "arrival_by": s - 3 * DAY,
                                           "departure_date": s + 36 * DAY},
         "surgery_planned", before),
        ("travel", "itinerary_confirmed", {"itinerary_id": "T-1", "arrival_date": s - 4 * DAY,
                                           "departure_date": s + 36 * DAY},
         "surgery_planned", before[1:]),
        ("payments", "invoice_paid", {"invoice_id": "I-1", "paid_cents": 4_000_000},
         "surgery_planned", ["preop_check"]),
        ("surgery", "preop_check_recorded", {"surgery_id": "S-1", "fit": True},
         "surgery_planned", ["surgery"]),
        ("surgery", "surgery_performed", {"surgery_id": "S-1", "performed_on": s, "side": "left",
                                          "implant_type": "OPRA", "implant_size": "16mm",
                                          "implant_lot": "L-778"},
         "clinical_stay", ["ward_discharge"]),
        ("rehabilitation", "rehab_plan_created", {"plan_id": "R-1", "start_date": s + 5 * DAY,
                                                  "planned_end": s + 35 * DAY, "target_load_kg": "41.3"},
         "clinical_stay", ["ward_discharge"]),
        ("surgery", "ward_discharged", {"surgery_id": "S-1", "discharged_on": s + 4 * DAY,
                                        "planned_rehab_end": s + 35 * DAY, "departure_date": s + 36 * DAY},
         "rehabilitation", ["target_load"]),
        ("rehabilitation", "rehab_target_load_reached", {"plan_id": "R-1", "reached_on": s + 20 * DAY,
                                                         "load_kg": "41.3"},
         "rehabilitation", ["prosthesis_fitting"]),
        ("rehabilitation", "prosthesis_fitted", {"plan_id": "R-1", "fitted_on": s + 22 * DAY},
         "rehabilitation", ["rehab_completion"]),
        ("rehabilitation", "rehab_completed", {"plan_id": "R-1", "completed_on": s + 34 * DAY,
                                               "planned_end": s + 35 * DAY},
         "follow_up", ["followup_plan"]),
        ("followup", "followup_planned", {"plan_id": "F-1", "checkup_dates": [s + 42 * DAY, s + 90 * DAY]},
         "follow_up", ["checkup"]),
        ("followup", "imaging_received", {"image_id": "IMG-1", "sha256": "ab" * 32, "media_type": "image/png",
                                          "body_part": "left femur", "review_due": s + 50 * DAY},
         "follow_up", ["specialist_review", "checkup"]),
        ("followup", "checkup_completed", {"checkup_id": "C-1", "outcome": "done"},
         "follow_up", ["specialist_review", "checkup"]),
    ]


def story(journey_id: str, start: datetime) -> list[Step]:
    """25 facts an hour apart, each caused by the one before it."""
    steps, previous = [], None
    for number, (producer, event_type, payload, stage, waiting) in enumerate(_script(start.date())):
        event = new_event(producer, event_type, payload, journey_id, cause=previous)
        event = dataclasses.replace(event, occurred_at=start + number * timedelta(hours=1))
        steps.append(Step(event, stage, waiting))
        previous = event
    return steps


def event(producer: str, event_type: str, payload: dict, journey_id: str, at: datetime | None = None,
          cause: Event | str | None = None) -> Event:
    """A single contract event, dated `at` if given."""
    built = new_event(producer, event_type, payload, journey_id, cause=cause)
    return dataclasses.replace(built, occurred_at=at) if at else built


def new_journey() -> str:
    return str(uuid.uuid4())
