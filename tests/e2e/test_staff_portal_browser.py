"""Staff do their pieces of one patient's journey on the journey page, in Debian's headless Chromium, on the
whole system (every service its own process, the sandbox providers): each role signs in through /ui/login,
finds its form, sends it and sees the result on the timeline. The journey driver moves the patient between
the pieces over the API, and the simulated clinic clock passes the weeks. Each role sees only the forms of
its own routes and the patient's details only if it may see who a patient is; every view is in the access
log; a double click decides once. The journey page of every piece is kept at desktop and phone size in
var/screenshots/staff/ (journey-<role>-<piece>-desktop.png, -phone.png)."""
import os
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from ops.journeys import JourneyDriver, Patient
from services.followup.tests import images
from services.gateway.adapters.pages.actions import ACTIONS
from services.gateway.domain.roles import (
    ADMIN,
    FINANCE,
    INTAKE,
    NAME_READERS,
    PHYSIOTHERAPIST,
    PLANNER,
    SPECIALIST,
    STAFF_ROLES,
    TRAVEL_DESK,
)
from services.gateway.tests.browser import CHROMIUM
from shared.config import ROOT
from tests.e2e.staff_browser import StaffBrowser

# Skipped on a developer's machine without Debian's chromium; under CI a missing browser fails.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")
SCREENSHOTS = ROOT / "var" / "screenshots" / "staff"
OWN_FORMS = {role: {a.name for a in ACTIONS if role in a.roles} for role in STAFF_ROLES}


class Staff:
    """The staff's side of the walk: each piece a role does on the journey page, in the browser."""

    def __init__(self, browser: StaffBrowser, base: str, credentials: dict, patient: Patient, name: str):
        self.browser, self.base, self.credentials = browser, base, credentials
        self.patient, self.name = patient, name

    def open(self, role: str, form: str) -> dict:
        """Sign in as `role` on the way to the journey page, which offers `form` among the role's own."""
        username, password = self.credentials[role]
        state = self.browser.sign_in(self.base, username, password, f"/ui/journeys/{self.patient.journey_id}")
        assert state["url"].endswith(f"/ui/journeys/{self.patient.journey_id}"), state["url"]
        assert form in state["forms"] and set(state["forms"]) <= OWN_FORMS[role], (role, state["forms"])
        assert state["details"] == (role in NAME_READERS) and (self.name in state["text"]) == state["details"]
        return state

    def act(self, role: str, form: str, values: dict, fact: str, piece: str, double_click=False) -> dict:
        self.open(role, form)
        self.browser.fill(form, values)
        sent = self.browser.send(form, double_click=double_click)
        assert sent["errors"] == [] and sent["done"], (role, form, sent["errors"], sent["text"][:600])
        seen = self.browser.wait_fact(fact)
        phone = self.browser.shots(f"{role}-{piece}")
        assert phone["overflow"] <= 0, f"the journey page scrolls sideways at phone size for {role}"
        return seen


@pytest.fixture(scope="module")
def browser():
    opened = StaffBrowser(SCREENSHOTS, ROOT)
    yield opened
    opened.close()


def test_each_role_does_its_piece_of_the_journey_through_a_form_on_the_journey_page(driver, running, browser):
    started = time.monotonic()
    patient = driver.enquire(51, smoking_status="current")   # the pre-screen puts a smoker on hold
    driver.wait_stage(patient, "on_hold")
    name = driver.enquiry(patient)["name"]
    staff = Staff(browser, running.system.gateway_url, running.staff, patient, name)

    admitted(staff, driver, patient)
    postponed_and_moved(staff, driver, patient)
    hotel_booked_by_phone(staff, driver, patient, running.url("travel-agency"))
    target_load_reached(staff, driver, patient)
    image_reviewed(staff, driver, patient)

    entries = driver.timeline(patient)["entries"]
    assert [e["type"] for e in entries].count("patient_accepted") == 1   # one decision for two clicks
    log = driver.staff(ADMIN).get(f"/journeys/{patient.journey_id}/access-log")
    looked = {(entry["role"], entry["action"]) for entry in log}
    for role in (INTAKE, SPECIALIST, FINANCE, PLANNER, TRAVEL_DESK, PHYSIOTHERAPIST):
        assert (role, "ui_timeline") in looked, role
    assert {role for role, action in looked if action == "enquiry_detail"} <= NAME_READERS
    shots = list(SCREENSHOTS.glob("journey-*.png"))
    assert len(shots) == 16 and all(shot.stat().st_size > 5000 for shot in shots)   # 8 pieces, 2 sizes
    assert time.monotonic() - started < 180, f"the walk took {time.monotonic() - started:.0f}s"


def admitted(staff: Staff, driver: JourneyDriver, patient: Patient) -> None:
    """Intake overrides the pre-screen; the specialist accepts (with a double click); finance records the
    deposit the patient paid by bank transfer."""
    staff.act(INTAKE, "override-prescreen", {
        "outcome": "passed", "reason": "Stopped smoking in May; the GP confirms it in writing"},
        "Pre-screen overridden: passed", "override")
    driver.screen(patient)
    driver.wait("the screening decision", lambda: "screening_decision" in waiting(driver, patient))
    staff.act(SPECIALIST, "decide", {"decision": "accepted"}, "Accepted for treatment", "decision",
              double_click=True)
    deposit = driver.wait("the invoice", lambda: driver.invoice(patient))["invoice"]["deposit_cents"]
    staff.act(FINANCE, "record-bank-transfer", {
        "reference": f"NL-BANK-{patient.journey_id[:8]}", "amount_cents": f"{deposit / 100:,.2f}"},
        "Deposit paid", "bank-transfer")
    driver.wait_surgery_scheduled(patient)
    driver.wait_itinerary_confirmed(patient)


def postponed_and_moved(staff: Staff, driver: JourneyDriver, patient: Patient) -> None:
    """The specialist finds the patient not fit at the pre-op check (the surgery is postponed); the planner
    then moves the new date for the theatre."""
    planned = dict(patient.plan)
    driver.clock.advance_to(patient.day("preop_check_date"))
    staff.act(SPECIALIST, "record-preop-check", {
        "fit": "false", "reason_code": "infection", "note": "Redness around the stoma"},
        "Pre-op check: not fit", "preop-not-fit")
    postponed = driver.wait_surgery_scheduled(patient, other_than=planned)["plan"]
    driver.wait_itinerary_confirmed(patient)
    staff.act(PLANNER, "reschedule-surgery", {"reason_code": "theatre_unavailable"}, "theatre_unavailable",
              "reschedule")
    driver.wait_surgery_scheduled(patient, other_than=postponed)
    driver.wait_itinerary_confirmed(patient)


def hotel_booked_by_phone(staff: Staff, driver: JourneyDriver, patient: Patient, agency: str) -> None:
    """The hotel cancels the stay after the ward (a conflict); the travel desk books it by phone."""
    bookings = driver.itinerary(patient)["bookings"]
    stay = next(b for b in bookings if b["current"] and b["part"] == "hotel_stay")
    cancelled = requests.post(f"{agency}/_sandbox/orders/{stay['order_id']}/supplier-cancellation",
                              timeout=10)
    assert cancelled.status_code == 200, cancelled.text
    driver.wait("the conflict", lambda: "travel_conflict_resolution" in waiting(driver, patient))
    staff.open(TRAVEL_DESK, "resolve-travel-task")   # the conflict is on the desk's page too
    staff.act(TRAVEL_DESK, "enter-phone-booking", {
        "part": "hotel_stay", "confirmation_code": "HOTEL-BY-PHONE-1", "start": stay["wanted_start"],
        "end": stay["wanted_end"]}, "Travel confirmed", "hotel-by-phone")
    assert "travel_conflict_resolution" not in waiting(driver, patient)


def target_load_reached(staff: Staff, driver: JourneyDriver, patient: Patient) -> None:
    """Surgery and the ward by the driver, the load built up but for the last step; the physiotherapist
    records the session that reaches the target load."""
    for step in (driver.preop_check, driver.operate, driver.ward_stay, driver.discharge):
        step(patient)
    plan = driver.wait_rehab_plan(patient)
    day = date.fromisoformat(plan["start_date"]) - timedelta(days=1)
    while Decimal(plan["next_step_kg"]) < Decimal(plan["target_load_kg"]):
        day = next_session(plan, day)
        driver.clock.advance_to(day)
        plan = driver._rehab(patient, "sessions", {"session_date": day.isoformat(), "duration_minutes": 120,
                                                   "load_kg": plan["next_step_kg"], "pain_score": 2})
    driver.clock.advance_to(next_session(plan, day))
    staff.act(PHYSIOTHERAPIST, "record-session", {
        "duration_minutes": "120", "load_kg": plan["target_load_kg"], "pain_score": "1",
        "exercises": "muscle strengthening, load on the pin"}, "Target load", "session")


def image_reviewed(staff: Staff, driver: JourneyDriver, patient: Patient) -> None:
    """Home again, the patient sends a photo of the stoma; the specialist reviews it."""
    driver.fit_prosthesis(patient)
    driver.complete_rehabilitation(patient)
    driver.wait_followup_plan(patient)
    driver.send_image(patient, images.png(64, 64, shade=90), "image/png")
    driver.wait("the image's review", lambda: "specialist_review" in waiting(driver, patient))
    staff.act(SPECIALIST, "review-image", {"outcome": "fine"}, "Image reviewed: fine", "image-review")


def waiting(driver: JourneyDriver, patient: Patient) -> list[str]:
    return driver.timeline(patient)["waiting_for"]


def next_session(plan: dict, after: date) -> date:
    return next(d for d in map(date.fromisoformat, plan["planned_sessions"]) if d > after)
