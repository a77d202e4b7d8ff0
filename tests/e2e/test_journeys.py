"""Whole journeys through every service as its own process, the real broker, PostgreSQL and the
sandbox providers, driven over the HTTP API as staff, patients and providers would."""
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser

import icalendar
import requests

from ops.journeys.api import Api
from ops.journeys.sample import Patient
from services.followup.tests import images
from services.gateway.domain.roles import FINANCE, INTAKE
from shared.config import ROOT, load_config
from shared.i18n import translations
from shared.testing.infra import wait_for
from tests.fhir_r4 import problems

PRODUCERS = ("enquiries", "payments", "surgery", "travel", "rehabilitation", "followup", "notifications")
MILESTONES = ("enquiry_received", "prescreen_decided", "patient_accepted", "invoice_issued", "deposit_paid",
              "surgery_scheduled", "itinerary_confirmed", "preop_check_recorded", "surgery_performed",
              "ward_discharged", "rehab_plan_created", "rehab_target_load_reached", "prosthesis_fitted",
              "rehab_completed", "followup_planned")


def published(taps, journey_id: str) -> list[dict]:
    return [event for tap in taps for event in tap.drain() if event["journey_id"] == journey_id]


def types(timeline: dict) -> list[str]:
    return [entry["type"] for entry in timeline["entries"]]


def in_order(seen: list[str], expected) -> bool:
    remaining = iter(seen)
    return all(kind in remaining for kind in expected)


def timeline_with(driver, patient, *kinds: str) -> dict:
    """The timeline, once it shows these facts in this order."""
    return driver.wait(f"the timeline to show {kinds}", lambda: (
        found := driver.timeline(patient)) and in_order(types(found), kinds) and found)


def timeline_having(driver, patient, *kinds: str) -> dict:
    """The timeline, once it shows all these facts (in any order)."""
    return driver.wait(f"the timeline to show {kinds}", lambda: (
        found := driver.timeline(patient)) and set(kinds) <= set(types(found)) and found)


def test_one_patient_goes_from_the_enquiry_form_to_a_follow_up_plan(driver, tap):
    taps = [tap(producer) for producer in PRODUCERS]
    started = time.monotonic()
    patient = driver.whole_journey(1)
    print(f"one whole journey took {time.monotonic() - started:.1f}s")

    timeline = driver.timeline(patient)
    assert timeline["stage"] == "follow_up" and timeline["stalled"] == []
    assert in_order(types(timeline), MILESTONES), types(timeline)
    causes = {entry["type"]: entry["caused_by_type"] for entry in timeline["entries"]}
    assert causes["surgery_scheduled"] == "deposit_paid"          # accepted first, then paid
    assert causes["rehab_plan_created"] == "ward_discharged"
    assert causes["followup_planned"] == "rehab_completed"
    # Who asked: the specialist's decision is a staff request, the questionnaire the patient's own.
    by = {entry["type"]: (entry["actor"] or "", entry["caused_by"] or "") for entry in timeline["entries"]}
    assert by["patient_accepted"][0].startswith("staff:") and by["patient_accepted"][1].startswith("request:")
    assert by["invoice_issued"][0] == ""  # the payments service reacting on its own
    # Every fact any stage announced is on the timeline, once.
    events = wait_for(lambda: (found := published(taps, patient.journey_id))
                      and {e["event_id"] for e in found} == {e["event_id"] for e in timeline["entries"]}
                      and found, message="the timeline and the published events differ")
    assert len(events) == len(timeline["entries"]) == len({e["event_id"] for e in events})

    surgery_date = patient.day("surgery_date")
    case = driver.surgery(patient)
    assert (case["status"], case["performed_on"], case["discharged_on"]) == (
        "discharged", surgery_date.isoformat(), patient.plan["planned_ward_discharge"])
    assert [(side["side"], side["implant_lot"]) for side in case["operations"]] == [("left", "LOT-SAMPLE-1")]
    assert len(case["images"]) == 1
    invoice = driver.invoice(patient)["invoice"]
    assert invoice["paid_cents"] == invoice["deposit_cents"] > 0 and invoice["refunded_cents"] == 0
    itinerary = driver.itinerary(patient)
    assert itinerary["confirmed"] and itinerary["departure_date"] == patient.plan["departure_date"]
    rehab = driver.rehab_plan(patient)
    assert rehab["status"] == "completed" and rehab["best_load_kg"] == rehab["target_load_kg"] == "37.0"
    checkups = driver.followup_schedule(patient)["checkups"]
    assert checkups[0]["label"] == "6 weeks"
    assert checkups[0]["due_on"] == (surgery_date + timedelta(weeks=6)).isoformat()
    assert all(date.fromisoformat(c["due_on"]) > date.fromisoformat(patient.plan["departure_date"])
               for c in checkups)


def test_a_cancellation_after_the_deposit_refunds_cancels_the_travel_and_withdraws_the_rehab_plan(
        driver, tap):
    taps = [tap(producer) for producer in ("payments", "travel", "rehabilitation")]
    patient = driver.to_surgery_scheduled(2)
    paid = driver.invoice(patient)["invoice"]["paid_cents"]

    driver.cancel(patient, "patient_withdrew")
    driver.wait_cancellation_settled(patient)

    view = driver.invoice(patient)
    assert view["invoice"]["cancel_reason"] == "patient_withdrew"
    [refund] = view["refunds"]
    assert 0 < refund["amount_cents"] == view["invoice"]["refunded_cents"] <= paid
    assert {part["status"] for part in refund["parts"]} == {"sent"}
    itinerary = driver.itinerary(patient)
    assert {b["status"] for b in itinerary["bookings"] if b["current"]} == {"cancelled"}
    rehab = driver.rehab_plan(patient)
    assert (rehab["status"], rehab["withdrawn_reason"]) == ("withdrawn", "patient_withdrew")
    assert driver.surgery(patient)["status"] == "cancelled"
    timeline = timeline_with(driver, patient, "deposit_paid", "surgery_scheduled", "surgery_cancelled")
    assert timeline["stage"] == "cancelled"
    assert {"refund_issued", "itinerary_cancelled", "rehab_plan_withdrawn"} <= set(types(timeline))
    effects = [e["type"] for e in published(taps, patient.journey_id)]
    for once in ("refund_requested", "itinerary_cancelled", "rehab_plan_withdrawn"):
        assert effects.count(once) == 1, effects


def test_a_rescheduled_surgery_moves_the_flights_the_hotels_and_the_rehab_plan(driver):
    patient = driver.to_surgery_scheduled(3)
    before = dict(patient.plan)

    driver.reschedule(patient, "surgeon_unavailable")
    itinerary = driver.wait_itinerary_confirmed(patient)

    after = patient.plan
    assert after["surgery_date"] > before["surgery_date"]
    booked = {b["part"]: (b["booked_start"], b["booked_end"]) for b in itinerary["bookings"] if b["current"]}
    assert booked == {"outbound": (after["arrival_by"], after["arrival_by"]),
                      "hotel_preop": (after["arrival_by"], after["surgery_date"]),
                      "hotel_stay": (after["planned_ward_discharge"], after["departure_date"]),
                      "return": (after["departure_date"], after["departure_date"])}
    rehab = driver.wait("the rehabilitation plan to move", lambda: (plan := driver.rehab_plan(patient))
                        and plan["expected_start"] == after["planned_ward_discharge"] and plan)
    assert (rehab["status"], rehab["planned_end"], rehab["departure_date"]) == (
        "awaiting", after["planned_rehab_end"], after["departure_date"])
    timeline = timeline_with(driver, patient, "surgery_scheduled", "itinerary_confirmed",
                             "surgery_rescheduled", "itinerary_change_requested", "itinerary_confirmed")
    assert timeline["stage"] == "surgery_planned"


def test_a_patient_found_not_fit_after_arriving_stays_on_at_the_hotel_and_only_the_flight_home_moves(
        driver, running):
    patient = driver.to_surgery_scheduled(7)
    before = dict(patient.plan)
    outbound = next(b for b in driver.itinerary(patient)["bookings"]
                    if b["current"] and b["part"] == "outbound")

    driver.preop_check(patient, fit=False, reason_code="infection")   # the clock moves to the check's day
    checked_on = driver.clock.today()
    assert date.fromisoformat(outbound["booked_start"]) < checked_on   # the patient has flown in
    driver.wait_surgery_scheduled(patient, other_than=before)
    itinerary = driver.wait_itinerary_confirmed(patient)

    after, rules = patient.plan, load_config()["SURGERY"]
    surgery = patient.day("surgery_date")
    assert after["arrival_by"] == before["arrival_by"]
    assert surgery > patient.day("preop_check_date") > checked_on
    assert surgery >= checked_on + timedelta(days=max(rules["in_country_min_lead_days"],
                                                      rules["not_fit_postpone_days"]))
    assert surgery < checked_on + timedelta(days=rules["travel_lead_days"])   # no travel lead: already here
    current = {b["part"]: b for b in itinerary["bookings"] if b["current"]}
    assert current["outbound"] == outbound                                   # untouched, the same booking
    booked = {part: (b["booked_start"], b["booked_end"]) for part, b in current.items()}
    assert booked["hotel_preop"] == (before["arrival_by"], after["surgery_date"])          # extended
    assert booked["hotel_stay"] == (after["planned_ward_discharge"], after["departure_date"])
    assert booked["return"] == (after["departure_date"], after["departure_date"])
    assert after["departure_date"] > before["departure_date"] and itinerary["conflicts"] == []
    assert "outbound" not in {h["part"] for h in itinerary["history"] if h["code"] == "change_requested"}

    link = driver.staff(INTAKE).post(f"/journeys/{patient.journey_id}/patient-link", {"valid_days": 1})
    mine = Api(running.system.gateway_url, token=link["token"], source_address=driver.public.source_address)
    flight_home = {"on": after["departure_date"], "what": "Your flight home", "past": False}
    seen = driver.wait("the patient's own view to show the new plan", lambda: (
        found := mine.get(f"/journeys/{patient.journey_id}/my-journey"))
        and flight_home in found["appointments"] and found)
    assert {"on": after["surgery_date"], "what": "Your surgery", "past": False} in seen["appointments"]


def test_a_second_opinion_is_booked_and_held_and_its_advice_opens_a_suitability_enquiry_for_the_same_person(
        driver):
    person = driver.ask_second_opinion(8)
    waiting = driver.wait_stage(person, "second_opinion")
    assert waiting["waiting_for"] == ["second_opinion_appointment"]

    appointment = driver.book_second_opinion(person)
    driver.record_second_opinion(person, appointment, "held")
    outcome = driver.conclude_second_opinion(person, "advised_to_enquire")

    steps = ("enquiry_received", "second_opinion_requested", "second_opinion_booked", "second_opinion_held",
             "second_opinion_concluded")
    timeline = timeline_with(driver, person, *steps)
    assert (timeline["stage"], timeline["waiting_for"], timeline["stalled"]) == (
        "second_opinion_concluded", [], [])
    assert "advised to enquire about osseointegration" in timeline["entries"][-1]["summary"]
    enquiry = Patient(person.number, outcome["suitability_journey_id"])
    first, opened = driver.enquiry(person), driver.enquiry(enquiry)
    same = ("name", "email", "phone", "country", "preferred_language", "amputation_level")
    assert {key: opened[key] for key in same} == {key: first[key] for key in same}
    assert (opened["kind"], opened["status"], opened["opened_from_journey_id"]) == (
        "suitability", "awaiting_health", person.journey_id)
    assert driver.wait_stage(enquiry, "enquiry")["waiting_for"] == ["health_questions"]
    assert driver.answer_health_questions(enquiry)["outcome"] == "passed"
    assert driver.wait_stage(enquiry, "screening")["waiting_for"] == ["outpatient_invitation"]


def test_a_disputed_deposit_holds_the_journey_for_finance_the_board_and_the_planner_until_the_bank_decides(
        driver):
    patient = driver.enquire(9)
    driver.screen(patient)
    driver.accept(patient)
    driver.pay_deposit(patient)
    driver.wait_surgery_scheduled(patient)   # the surgery now rests on the deposit disputed next
    finance, journey = driver.staff(FINANCE), patient.journey_id
    deposit = driver.invoice(patient)["payments"][0]["reference"]
    opened = requests.post(f"{driver.payment_url}/sandbox/payment_intents/{deposit}/dispute",
                           json={"reason": "fraudulent", "evidence_days": 10}, timeout=10)
    assert opened.status_code == 200, opened.text

    def listed():
        return [i for i in finance.get("/finance/attention")["items"] if i["journey_id"] == journey]
    (item,) = driver.wait("the dispute on finance's attention list", lambda: [
        i for i in listed() if i["kind"] == "disputed"])
    assert item["amount_cents"] == driver.invoice(patient)["invoice"]["deposit_cents"] and item["deadline"]
    held = driver.wait("the board to show the payment on hold", lambda: (
        found := driver.timeline(patient)) and found["payment_disputed"] and found)
    assert held["waiting_for"][0] == "dispute_resolution"
    assert driver.wait("the planner to see the disputed payment",
                       lambda: driver.surgery(patient)["payment"]["disputed"])
    assert driver.invoice(patient)["status"] == "disputed"

    closed = requests.post(f"{driver.payment_url}/sandbox/disputes/{item['reference']}/close",
                           json={"outcome": "won"}, timeout=10)
    assert closed.status_code == 200, closed.text
    settled = timeline_with(driver, patient, "payment_disputed", "payment_dispute_closed")
    assert settled["payment_disputed"] is False and "dispute_resolution" not in settled["waiting_for"]
    assert driver.wait("the planner to see the dispute settled",
                       lambda: not driver.surgery(patient)["payment"]["disputed"])
    assert [i["kind"] for i in listed()] == [] and driver.invoice(patient)["status"] == "awaiting_balance"


def test_a_deposit_not_paid_by_its_due_date_is_a_fact_on_the_timeline_and_a_stall_until_it_is_paid(driver):
    patient = driver.enquire(11)
    driver.screen(patient)
    driver.accept(patient)
    invoice = driver.wait("the invoice", lambda: (found := driver.invoice(patient)) and found["invoice"])
    driver.clock.advance_to(date.fromisoformat(invoice["deposit_due"]) + timedelta(days=1))
    overdue = timeline_with(driver, patient, "invoice_issued", "deposit_overdue")
    assert [s["reason"] for s in overdue["stalled"]] == ["deposit_unpaid"]
    assert f"Deposit overdue: EUR {invoice['deposit_cents'] / 100:,.2f} was due {invoice['deposit_due']}" in [
        entry["summary"] for entry in overdue["entries"]]
    board = driver.staff(INTAKE).get("/journeys?stalled_only=true")
    assert [s["reason"] for item in board if item["journey_id"] == patient.journey_id
            for s in item["stalled"]] == ["deposit_unpaid"]
    driver.pay_deposit(patient)
    paid = timeline_with(driver, patient, "deposit_overdue", "deposit_paid")
    assert "deposit_unpaid" not in [s["reason"] for s in paid["stalled"]]


def test_a_check_up_and_an_x_ray_sent_from_home_are_reviewed_and_a_concern_is_escalated_until_acted_on(
        driver):
    patient = driver.whole_journey(12)
    checkup = driver.hold_checkup(patient)
    assessed = driver.assess(patient, "checkup", checkup["id"], "fine")
    assert (assessed["outcome"], assessed["escalations"]) == ("fine", [])

    image = driver.send_image(patient, images.xray(patient_id=patient.journey_id), "application/dicom",
                              checkup_id=checkup["id"])
    assert (image["media_type"], image["uploaded_via"], image["checkup_id"]) == (
        "application/dicom", "patient_link", checkup["id"])
    assert image["identity"] != "mismatch"
    waiting = timeline_having(driver, patient, "checkup_completed", "checkup_assessed", "imaging_received")
    assert "specialist_review" in waiting["waiting_for"]
    assert "complication_action" not in waiting["waiting_for"]
    assert "Check-up assessed: fine" in [entry["summary"] for entry in waiting["entries"]]

    concern = driver.assess(patient, "image", image["id"], "concern", concerns=["infection"])
    (escalation,) = concern["escalations"]
    assert (escalation["kind"], escalation["status"]) == ("infection", "open")
    act_by = date.fromisoformat(escalation["act_by"])
    assert act_by >= driver.clock.today()
    # Announced in one transaction, consumed from two queues: both show, in either order.
    escalated = timeline_having(driver, patient, "imaging_reviewed", "complication_reported")
    assert "specialist_review" not in escalated["waiting_for"]
    assert "complication_action" in escalated["waiting_for"]
    assert f"Complication reported: infection, act by {act_by.isoformat()}" in [
        entry["summary"] for entry in escalated["entries"]]
    record = driver.followup_record(patient)
    assert [r["status"] for r in record["reviews"] if r["image_id"] == image["id"]] == ["done"]
    assert [(e["id"], e["status"], e["act_by"]) for e in record["escalations"]] == [
        (escalation["id"], "open", escalation["act_by"])]

    resolved = driver.resolve_escalation(patient, escalation["id"], "antibiotics_started")
    assert (resolved["status"], resolved["action_code"]) == ("resolved", "antibiotics_started")
    closed = timeline_with(driver, patient, "complication_reported", "escalation_resolved")
    assert {"specialist_review", "complication_action"}.isdisjoint(closed["waiting_for"])
    assert closed["stage"] == "follow_up" and closed["stalled"] == []
    assert [e["status"] for e in driver.followup_record(patient)["escalations"]] == ["resolved"]
    # The whole journey, X-ray included, as a receiving hospital would read it: valid FHIR R4.
    bundle = driver.staff("specialist").get(f"/journeys/{patient.journey_id}/fhir")
    assert problems(bundle) == []
    assert {"Patient", "Condition", "Observation", "QuestionnaireResponse", "Procedure", "Device",
            "ImagingStudy", "Appointment", "CarePlan", "Invoice", "AuditEvent"} <= {
        entry["resource"]["resourceType"] for entry in bundle["entry"]}


def test_a_declined_enquiry_reaches_no_later_stage(driver, tap, running):
    taps = [tap(producer) for producer in ("payments", "surgery", "travel", "rehabilitation", "followup")]
    screened = driver.enquire(4)
    driver.screen(screened)
    driver.decline(screened, ["bone_quality"])
    prescreened = driver.enquire(5, diabetes=True)

    for patient in (screened, prescreened):
        driver.wait_stage(patient, "declined")
    running.wait_quiet()
    for patient in (screened, prescreened):
        views = (driver.invoice(patient), driver.surgery(patient), driver.itinerary(patient),
                 driver.rehab_plan(patient), driver.followup_schedule(patient))
        assert views == (None,) * 5
        assert published(taps, patient.journey_id) == []
    assert "patient_declined" in types(driver.timeline(screened))


# The subject each message of a whole journey has, in English (the catalog's msgid), by template.
JOURNEY_MAIL = {
    "enquiry_received": "We have received your enquiry", "prescreen_passed": "Your enquiry: the next step",
    "screening_invitation": "Invitation to your appointment",
    "questionnaire_ready": "Please fill in your questionnaire",
    "patient_accepted": "You have been accepted for treatment",
    "invoice_issued": "Your invoice and the deposit", "deposit_paid": "We have received your deposit",
    "surgery_scheduled": "Your surgery date", "itinerary_confirmed": "Your flights and hotel are booked",
    "balance_due": "When the balance of your invoice is due", "checkups_planned": "Your check-ups from home",
}
# Sent only once the simulated clock has passed their moment.
BALANCE_OVERDUE = "Reminder: the balance of your invoice"
PREOP_REMINDER = "Tomorrow: your medical check at the hospital"
CHECKUP_REMINDERS = ("Reminder: your check-up", "Please send your follow-up X-rays")
FOOTER = "This message is about your care at the clinic. Please do not reply to it; you can reach us here:"


def mails_to(folder, address: str) -> list:
    found = []
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as handle:
            mail = BytesParser(policy=policy.default).parse(handle)
        if address in str(mail["To"]):
            found.append(mail)
    return found


def calendar_starts(mail) -> list:
    """DTSTART of every entry of every .ics the message carries, each file read with icalendar."""
    return [entry.decoded("dtstart") for part in mail.iter_attachments()
            if part.get_content_type() == "text/calendar"
            for entry in icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")]


def test_a_dutch_patients_whole_journey_emails_each_message_once_in_dutch_with_its_calendar_dates(
        driver, running):
    patient = driver.whole_journey(13, preferred_language="nl")
    running.wait_quiet()
    enquiry, plan = driver.enquiry(patient), driver.surgery(patient)["plan"]
    address, appointments = enquiry["email"], enquiry["appointments"]
    checkups = driver.followup_schedule(patient)["checkups"]
    today, balance_due = driver.clock.today(), driver.invoice(patient)["invoice"]["balance_due"]
    dutch = translations("nl").gettext
    expected = Counter({dutch(subject): 1 for subject in JOURNEY_MAIL.values()})
    expected[dutch(JOURNEY_MAIL["screening_invitation"])] = len(appointments)
    if today > date.fromisoformat(balance_due):      # the balance is never paid in this journey
        expected[dutch(BALANCE_OVERDUE)] = 1
    # No pre-op reminder: the clock jumps from the surgery's scheduling straight to the day of the check,
    # when "tomorrow" is past. Check-up reminders come two days before each check-up.
    expected[dutch(PREOP_REMINDER)] = 0
    for reminder in CHECKUP_REMINDERS:
        expected[dutch(reminder)] = sum(today > date.fromisoformat(c["due_on"]) - timedelta(days=2)
                                        for c in checkups)
    expected = +expected
    assert all(dutch(subject) != subject for subject in (*JOURNEY_MAIL.values(), FOOTER))  # translated
    folder = running.clock_file.parent / "mail"
    # Quiet means every event handled; a recorded message goes out on the sender's next tick.
    mails = wait_for(lambda: len(found := mails_to(folder, address)) >= expected.total() and found,
                     timeout=15, interval=0.5, message="the journey's mail to arrive")
    by_subject = {}
    for mail in mails:
        by_subject.setdefault(str(mail["Subject"]), []).append(mail)
    assert Counter(str(m["Subject"]) for m in mails) == expected, sorted(by_subject)
    assert len({m["Message-ID"] for m in mails}) == len(mails)

    clinic = load_config()["NOTIFICATIONS"]["clinic"]
    for mail in mails:
        assert mail["Content-Language"] == "nl" and mail["List-Unsubscribe"] is None, mail["Subject"]
        text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
        for part in (text, html):
            assert dutch(FOOTER) in part and clinic["name"] in part and clinic["address"] in part
            assert "unsubscribe" not in part.lower() and "afmelden" not in part.lower()
        assert "<img" not in html.lower()

    def only(template):
        (mail,) = by_subject[dutch(JOURNEY_MAIL[template])]
        return mail
    assert calendar_starts(only("surgery_scheduled")) == [date.fromisoformat(plan["preop_check_date"]),
                                                          date.fromisoformat(plan["surgery_date"])]
    assert sorted(calendar_starts(only("checkups_planned"))) == sorted(
        datetime.fromisoformat(c["local_start"]) for c in checkups)
    invitations = by_subject[dutch(JOURNEY_MAIL["screening_invitation"])]
    assert sorted(start for mail in invitations for start in calendar_starts(mail)) == sorted(
        datetime.fromisoformat(a["scheduled_at"]) for a in appointments)
    with_calendar = {str(mail["Subject"]) for mail in mails if calendar_starts(mail)}
    assert with_calendar - {dutch(CHECKUP_REMINDERS[0])} == {
        dutch(JOURNEY_MAIL[t]) for t in ("surgery_scheduled", "checkups_planned", "screening_invitation")}


def test_the_demo_command_drives_a_sample_patient_to_the_follow_up_plan_and_resets_the_clock(running):
    env = dict(os.environ, GATEWAY_DATABASE_URL=running.databases["gateway"],
               PAYMENT_PROVIDER_URL=running.url("payment-provider"),
               CAREPATH_CLOCK_FILE=str(running.clock_file))
    demo = subprocess.run([sys.executable, "-m", "ops", "demo", "--gateway", running.system.gateway_url],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr[-2000:]
    lines = demo.stdout.splitlines()
    assert any("tele-follow-up planned" in line for line in lines), demo.stdout
    assert lines[-2:][0] == "simulated clock reset to the real date"
    assert not running.clock_file.exists()


def test_no_service_parked_a_message_on_the_way(running):
    running.wait_quiet()
    assert running.parked() == {}
