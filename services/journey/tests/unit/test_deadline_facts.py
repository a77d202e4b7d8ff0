"""Deadline facts on the board and the timeline: each stalls its journey when it fires, until a
later fact settles it."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.domain.stalls import Limits, stalls
from services.journey.tests.story import event, new_journey
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)
FAR = date(2026, 1, 1)   # "today" for the stalls: long after every deadline here


def _project(journey, *specs):
    facts = [fact(event(producer, kind, payload, journey, at=START + timedelta(hours=n)))
             for n, (producer, kind, payload) in enumerate(specs)]
    return project(journey, facts)


def _stalls(projection):
    return [(s.reason, s.since) for s in stalls(projection.progress, FAR, Limits())]


ACCEPTED = ("enquiries", "patient_accepted", {"enquiry_id": "E-1", "amputation_level": "transfemoral",
                                              "amputation_side": "left", "body_weight_kg": "80.0",
                                              "preferred_language": "de", "country": "DE"})
DEPOSIT_OVERDUE = ("payments", "deposit_overdue", {"invoice_id": "I-1", "deposit_cents": 2_000_000,
                                                   "deposit_due": date(2025, 3, 17)})


def test_a_deposit_overdue_fact_stalls_the_journey_from_the_day_after_the_due_date_until_it_is_paid():
    journey = new_journey()
    overdue = _project(journey, ACCEPTED, DEPOSIT_OVERDUE)
    assert _stalls(overdue) == [("deposit_unpaid", date(2025, 3, 18))]
    assert overdue.timeline[-1].summary == "Deposit overdue: EUR 20,000.00 was due 2025-03-17"
    paid = _project(journey, ACCEPTED, DEPOSIT_OVERDUE,
                    ("payments", "deposit_paid", {"invoice_id": "I-1", "paid_cents": 2_000_000}))
    assert _stalls(paid) == []


SCHEDULED = [("payments", "deposit_paid", {"invoice_id": "I-1", "paid_cents": 2_000_000}),
             ("surgery", "surgery_scheduled", {
                 "surgery_id": "S-1", "arrival_by": date(2025, 5, 12), "preop_check_date": date(2025, 5, 14),
                 "surgery_date": date(2025, 5, 15), "planned_ward_discharge": date(2025, 5, 19),
                 "planned_rehab_end": date(2025, 6, 20), "departure_date": date(2025, 6, 21)})]


def test_a_balance_overdue_is_settled_when_the_balance_is_dated_again_or_paid():
    journey = new_journey()
    dated = ("payments", "balance_due_dated", {"invoice_id": "I-1", "balance_cents": 100,
                                               "balance_due": date(2025, 5, 1)})
    overdue = ("payments", "balance_overdue", {"invoice_id": "I-1", "balance_cents": 100,
                                               "balance_due": date(2025, 5, 1)})
    stalled = _stalls(_project(journey, ACCEPTED, *SCHEDULED, dated, overdue))
    assert ("balance_overdue", date(2025, 5, 2)) in stalled
    moved = ("payments", "balance_due_dated", dict(dated[2], balance_due=date(2025, 6, 1)))
    assert _stalls(_project(journey, ACCEPTED, *SCHEDULED, dated, overdue, moved)) == []
    paid = ("payments", "invoice_paid", {"invoice_id": "I-1", "paid_cents": 200})
    assert _stalls(_project(journey, ACCEPTED, *SCHEDULED, dated, overdue, paid)) == []


def test_an_unpaid_balance_holds_the_journey_up_only_while_it_waits_for_the_surgery():
    journey = new_journey()
    overdue = ("payments", "balance_overdue", {"invoice_id": "I-1", "balance_cents": 100,
                                               "balance_due": date(2025, 5, 1)})
    performed = ("surgery", "surgery_performed", {"surgery_id": "S-1", "performed_on": date(2025, 5, 15),
                                                  "side": "left", "implant_type": "OPRA", "implant_size": "M",
                                                  "implant_lot": "L-1"})
    operated = _project(journey, ACCEPTED, *SCHEDULED, overdue, performed)
    assert operated.stage == "clinical_stay" and _stalls(operated) == []   # finance's matter now
    assert "Balance overdue: EUR 1.00 was due 2025-05-01" in [e.summary for e in operated.timeline]


def test_followup_deadline_facts_stall_until_the_clinic_acts_and_read_plainly():
    journey = new_journey()
    facts = [("followup", "image_review_overdue", {"image_id": "IMG-1", "review_due": date(2025, 8, 1)}),
             ("followup", "escalation_overdue", {"escalation_id": "X-1", "kind": "infection",
                                                 "act_by": date(2025, 8, 3)}),
             ("followup", "checkup_missed", {"checkup_id": "C-1", "due_on": date(2025, 8, 4),
                                             "window_ends": date(2025, 8, 11)})]
    open_ = _project(journey, ACCEPTED, *facts)
    assert _stalls(open_) == [("review_overdue", date(2025, 8, 2)), ("escalation_overdue", date(2025, 8, 4)),
                              ("checkup_missed", date(2025, 8, 12))]
    assert [e.summary for e in open_.timeline[-3:]] == [
        "Image review overdue: it was due 2025-08-01", "Complication infection not acted on by 2025-08-03",
        "Check-up of 2025-08-04 missed: nothing recorded by 2025-08-11"]
    acted = _project(journey, ACCEPTED, *facts,
                     ("followup", "imaging_reviewed", {"image_id": "IMG-1", "outcome": "fine"}),
                     ("followup", "escalation_resolved", {"escalation_id": "X-1", "kind": "infection",
                                                          "action_code": "antibiotics_started"}),
                     ("followup", "checkup_completed", {"checkup_id": "C-1", "outcome": "missed"}))
    assert _stalls(acted) == []


def test_a_questionnaire_overdue_stalls_screening_until_the_questionnaire_is_in():
    journey = new_journey()
    enquiry = ("enquiries", "enquiry_received", {"enquiry_id": "E-1", "kind": "suitability", "country": "DE",
                                                 "preferred_language": "de"})
    passed = ("enquiries", "prescreen_decided", {"enquiry_id": "E-1", "outcome": "passed", "rules_fired": [],
                                                 "rule_set_version": "1"})
    overdue = ("enquiries", "questionnaire_overdue", {"enquiry_id": "E-1", "opened_on": date(2025, 3, 4),
                                                      "due_by": date(2025, 3, 14)})
    stalled = _stalls(_project(journey, enquiry, passed, overdue))
    assert ("questionnaire_overdue", date(2025, 3, 15)) in stalled
    submitted = ("enquiries", "screening_step_completed", {"enquiry_id": "E-1", "step": "questionnaire"})
    settled = _stalls(_project(journey, enquiry, passed, overdue, submitted))
    assert "questionnaire_overdue" not in [reason for reason, _ in settled]
