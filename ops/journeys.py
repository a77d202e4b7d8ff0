"""Drive sample patients through the whole journey over the HTTP API, as people would.

The demo (`python -m ops demo`), the end-to-end tests and the fault tests share
this driver. The public fills in the form, staff sign in with their role, the
payment sandbox pays, and the simulated clinic clock moves forward to the day
each step happens on. A step that causes a reaction elsewhere waits for what a
user would see next (a gateway view), so it returns once the system has reacted.
Sample data only: no real person's name, address or health.
"""
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from requests.adapters import HTTPAdapter

from shared.clock import set_simulated

CLINIC_TZ = ZoneInfo("Europe/Amsterdam")
DAY = timedelta(days=1)
INTAKE, PSYCHOLOGIST, SPECIALIST, PLANNER = "intake_coordinator", "psychologist", "specialist", "planner"
FINANCE, TRAVEL_DESK, PHYSIO, ADMIN = "finance", "travel_desk", "physiotherapist", "administrator"
ROLES = (INTAKE, PSYCHOLOGIST, SPECIALIST, PLANNER, FINANCE, TRAVEL_DESK, PHYSIO, ADMIN)


class StepFailed(AssertionError):
    """A call was refused, or the reaction a step waits for did not show in time."""


def sample_form(number: int, **changes) -> dict:
    """A suitability enquiry that passes the pre-screen; a fresh address each time (no dedupe)."""
    form = {
        "name": f"Sample Patient {number}",
        "email": f"sample.{number}.{uuid.uuid4().hex[:8]}@example.invalid",
        "phone": "+47 000 00 000", "country": "NO", "preferred_language": "en", "date_of_birth": "1980-06-15",
        "amputation_level": "transfemoral", "amputation_side": "left", "years_since_amputation": 7,
        "prosthesis_complaints": "Sample complaint: the socket chafes", "smoking_status": "never",
        "diabetes": False, "circulatory_disease": False, "other_conditions": None, "body_weight_kg": 74.5,
        "privacy_consent": True, "health_data_consent": True, "marketing_consent": False,
    }
    return form | changes


def staff_credentials(prefix: str = "demo") -> dict[str, tuple[str, str]]:
    """A username per role and a password made for this run (never a fixed, committed secret)."""
    return {role: (f"{prefix}-{role}", secrets.token_urlsafe(18)) for role in ROLES}


def ensure_staff(database_url: str, credentials: dict[str, tuple[str, str]]) -> None:
    """Create the users in the gateway's database, or give existing ones this run's password."""
    from sqlalchemy import select

    from services.gateway.auth import hash_password
    from services.gateway.models import StaffUser, kernel
    from services.gateway.staff import create_user
    from shared.db import Store
    store = Store(database_url, kernel)
    try:
        with store.session() as session:
            for role, (username, password) in credentials.items():
                user = session.scalar(select(StaffUser).where(StaffUser.username == username))
                if user is None:
                    create_user(session, username, password, role)
                elif user.role != role:
                    raise StepFailed(f"user {username} exists with role {user.role}, not {role}")
                else:
                    user.password_hash, user.active = hash_password(password), True
    finally:
        store.dispose()


class _FromAddress(HTTPAdapter):
    """Connect from a loopback address of one's own (rate limits are per client address)."""

    def __init__(self, address: str):
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


class Api:
    """One HTTP client of the gateway: public, a patient's link, or a signed-in staff member.

    Safe to share between threads: each thread gets its own connection pool, and
    all of them share one token (sign-ins are rate limited per client address).
    """

    def __init__(self, base: str, login: tuple[str, str] | None = None, token: str | None = None,
                 source_address: str | None = None, timeout: float = 30.0, on_wait=None):
        self.base, self.login, self.timeout = base.rstrip("/"), login, timeout
        self.source_address, self.on_wait = source_address, on_wait
        self._token, self._lock, self._local = token, threading.Lock(), threading.local()

    def call(self, method: str, path: str, body=None, ok=(200, 201)):
        """The JSON answer of /api<path>; any status not in `ok` raises StepFailed."""
        response = self._send(method, path, body)
        if response.status_code not in ok:
            raise StepFailed(f"{method} /api{path} answered {response.status_code}: {response.text[:600]}")
        return response.json() if response.content else None

    def get(self, path: str):
        return self.call("GET", path)

    def post(self, path: str, body: dict | None = None):
        return self.call("POST", path, body if body is not None else {})

    def maybe(self, path: str):
        """GET, or None while the resource does not exist yet (404)."""
        response = self._send("GET", path, None)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise StepFailed(f"GET /api{path} answered {response.status_code}: {response.text[:600]}")
        return response.json()

    def _send(self, method: str, path: str, body) -> requests.Response:
        if self.login and self._token is None:
            self._sign_in(None)
        for attempt in range(8):
            token = self._token
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = self._session().request(method, f"{self.base}/api{path}", json=body, headers=headers,
                                               timeout=self.timeout)
            if response.status_code == 401 and self.login and attempt == 0:
                self._sign_in(token)  # the short-lived token expired
            elif response.status_code == 429:  # the public form's or the sign-in's rate limit
                delay = min(float(response.headers.get("Retry-After") or 2 ** attempt), 15.0)
                if self.on_wait:
                    self.on_wait(f"{method} /api{path}: rate limited, retrying in {delay:.0f}s")
                time.sleep(delay)
            else:
                return response
        return response

    def _sign_in(self, stale: str | None) -> None:
        with self._lock:
            if self._token != stale:
                return  # another thread signed in meanwhile
            username, password = self.login
            self._token = None
            answer = Api(self.base, source_address=self.source_address, on_wait=self.on_wait).call(
                "POST", "/auth/token", {"username": username, "password": password})
            self._token = answer["access_token"]

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            if self.source_address:
                session.mount("http://", _FromAddress(self.source_address))
        return session


class Clock:
    """The simulated clinic date every service reads. It only moves forward, so patients
    driven at the same time never see a day they have passed come back."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def today(self) -> date:
        try:
            return date.fromisoformat(self.path.read_text().strip())
        except (OSError, ValueError):
            return datetime.now(CLINIC_TZ).date()

    def advance_to(self, day: date) -> date:
        with self._lock:
            if day > self.today():
                set_simulated(self.path, day)
            return self.today()

    def reset(self) -> None:
        """Back to the real date (the demo's last step)."""
        self.path.unlink(missing_ok=True)


def answers_for(definition: dict) -> dict:
    """Plausible answers to every required question of a questionnaire definition (it is data)."""
    chosen = {"single_choice": lambda q: q["options"][0], "multi_choice": lambda q: q["options"][:1],
              "integer": lambda q: q.get("min", 0), "scale": lambda q: (q["min"] + q["max"]) // 2,
              "boolean": lambda q: False, "text": lambda q: "sample answer"}
    return {q["id"]: chosen[q["type"]](q) for section in definition["sections"]
            for q in section["questions"] if q.get("required")}


@dataclass
class Patient:
    """What the driver knows of one sample patient's journey."""
    number: int
    journey_id: str = ""
    plan: dict = field(default_factory=dict)     # the surgery plan (ISO dates), once scheduled

    def day(self, name: str) -> date:
        return date.fromisoformat(self.plan[name])



class JourneyDriver:
    """The journey's steps, one small method each; `say` gets one line per step taken.

    Thread-safe: the fault tests drive many patients at once through one driver.
    """

    def __init__(self, gateway_url: str, staff: dict[str, tuple[str, str]], payment_url: str,
                 clock_file: str | Path, say=None, timeout: float = 60.0, poll: float = 0.2,
                 source_address: str | None = None):
        self.gateway_url, self.credentials = gateway_url.rstrip("/"), staff
        self.payment_url = payment_url.rstrip("/")
        self.clock = Clock(clock_file)
        self.timeout, self.poll, self._say = timeout, poll, say
        self.public = Api(self.gateway_url, source_address=source_address, on_wait=say)
        self._staff: dict[str, Api] = {}
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------
    def staff(self, role: str) -> Api:
        with self._lock:
            if role not in self._staff:
                self._staff[role] = Api(self.gateway_url, login=self.credentials[role],
                                        source_address=self.public.source_address, on_wait=self._say)
            return self._staff[role]

    def say(self, patient: Patient, text: str) -> None:
        if self._say:
            self._say(f"[patient {patient.number}] {text}")

    def wait(self, what: str, probe, timeout: float | None = None):
        """Poll `probe` until it returns something truthy; StepFailed after the timeout."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            found = probe()
            if found:
                return found
            if time.monotonic() > deadline:
                raise StepFailed(f"timed out after {timeout or self.timeout:.0f}s waiting for {what}")
            time.sleep(self.poll)

    # -- what users see ---------------------------------------------------------------------
    def enquiry(self, p: Patient) -> dict:
        return self.staff(INTAKE).get(f"/enquiries/{p.journey_id}")

    def invoice(self, p: Patient) -> dict | None:
        return self.staff(FINANCE).maybe(f"/journeys/{p.journey_id}/invoice")

    def surgery(self, p: Patient) -> dict | None:
        return self.staff(PLANNER).maybe(f"/journeys/{p.journey_id}/surgery")

    def itinerary(self, p: Patient) -> dict | None:
        return self.staff(TRAVEL_DESK).maybe(f"/travel/journeys/{p.journey_id}/itinerary")

    def rehab_plan(self, p: Patient) -> dict | None:
        return self.staff(PHYSIO).maybe(f"/journeys/{p.journey_id}/rehabilitation")

    def followup_schedule(self, p: Patient) -> dict | None:
        return self.staff(SPECIALIST).maybe(f"/journeys/{p.journey_id}/followup/schedule")

    def timeline(self, p: Patient) -> dict | None:
        return self.staff(ADMIN).maybe(f"/journeys/{p.journey_id}/timeline")

    def wait_stage(self, p: Patient, stage: str) -> dict:
        return self.wait(f"the journey board to show stage {stage}",
                         lambda: (found := self.timeline(p)) and found["stage"] == stage and found)

    # -- enquiry and screening ----------------------------------------------------------------
    def enquire(self, number: int, source_address: str | None = None, **form) -> Patient:
        """The public suitability form (from the patient's own address, if given); the pre-screen
        answers at once."""
        public = Api(self.gateway_url, source_address=source_address, on_wait=self._say) if source_address \
            else self.public
        receipt = public.post("/enquiries/suitability", sample_form(number, **form))
        patient = Patient(number, receipt["journey_id"])
        prescreen = receipt.get("prescreen") or {}
        self.say(patient, f"enquiry received (journey {patient.journey_id}); pre-screen: "
                          f"{prescreen.get('outcome')} {prescreen.get('rules_fired') or ''}".rstrip())
        return patient

    def screen(self, p: Patient) -> None:
        """The staff steps in order, then the questionnaire through the patient's own link."""
        path = f"/enquiries/{p.journey_id}"
        self.staff(INTAKE).post(f"{path}/steps/outpatient_invitation/complete")
        at = datetime.combine(self.clock.today() + DAY, datetime.min.time().replace(hour=10), CLINIC_TZ)
        for role, step, channel in ((INTAKE, "consultation", "video"),
                                    (PSYCHOLOGIST, "psychologist_call", "phone"),
                                    (SPECIALIST, "specialist_introduction", "in_person")):
            booked = self.staff(role).post(f"{path}/appointments", {
                "step": step, "scheduled_at": at.isoformat(), "channel": channel})
            self.staff(role).call("PATCH", f"{path}/appointments/{booked['id']}", {"status": "done"})
        self.say(p, "screening: outpatient invitation, consultation, psychologist call, "
                    "specialist introduction")
        link = self.staff(INTAKE).post(f"{path}/questionnaire/link")
        patient = Api(self.gateway_url, token=link["token"], source_address=self.public.source_address)
        questionnaire = patient.get(f"{path}/questionnaire")
        patient.call("PUT", f"{path}/questionnaire", {"answers": answers_for(questionnaire["definition"])})
        patient.post(f"{path}/questionnaire/submit")
        self.say(p, "questionnaire filled in and submitted through the patient's personal link")

    def accept(self, p: Patient) -> None:
        self.staff(SPECIALIST).post(f"/enquiries/{p.journey_id}/decision", {"decision": "accepted"})
        self.say(p, "accepted by the specialist")

    def decline(self, p: Patient, reasons=("bone_quality",)) -> None:
        self.staff(SPECIALIST).post(f"/enquiries/{p.journey_id}/decision",
                                    {"decision": "declined", "reasons": list(reasons)})
        self.say(p, f"declined by the specialist ({', '.join(reasons)})")

    # -- payment, scheduling, travel ------------------------------------------------------------
    def pay_deposit(self, p: Patient) -> dict:
        """The patient pays at the provider (the sandbox); its signed webhooks reach the gateway."""
        def deposit_request():
            found = self.invoice(p)
            deposit = [r["provider_ref"] for r in (found or {}).get("requests", []) if r["kind"] == "deposit"]
            return deposit and deposit[0]
        reference = self.wait("the invoice's deposit payment request", deposit_request)
        response = requests.post(f"{self.payment_url}/sandbox/payment_intents/{reference}/pay", json={},
                                 timeout=10)
        if response.status_code != 200:
            raise StepFailed(f"the payment sandbox refused to pay {reference}: {response.text[:300]}")
        invoice = self.wait("the deposit to be recorded as paid", lambda: (found := self.invoice(p))
                            and found["invoice"]["deposit_paid_at"] and found)
        self.say(p, f"deposit of EUR {invoice['invoice']['deposit_cents'] / 100:,.2f} paid at the provider "
                    "(signed webhook received)")
        return invoice

    def wait_surgery_scheduled(self, p: Patient, other_than: dict | None = None) -> dict:
        """The surgery case once it has a date (a new one, when `other_than` was the old plan)."""
        def scheduled():
            case = self.surgery(p)
            if case and case["status"] == "blocked":
                raise StepFailed(f"surgery scheduling blocked by {case['blocked_by']}")
            if case and case["status"] == "scheduled" and case["plan"] and case["plan"] != other_than:
                return case
        case = self.wait("the surgery to be scheduled", scheduled)
        p.plan = case["plan"]
        self.say(p, f"surgery {'re' if other_than else ''}scheduled on {p.plan['surgery_date']} "
                    f"(arrive by {p.plan['arrival_by']}, fly home on {p.plan['departure_date']})")
        return case

    def wait_itinerary_confirmed(self, p: Patient) -> dict:
        """Flights and hotels confirmed by the agency for the current surgery plan."""
        def confirmed():
            found = self.itinerary(p)
            return found and found["confirmed"] and found["arrival_by"] == p.plan["arrival_by"] \
                and found["departure_date"] == p.plan["departure_date"] and found
        itinerary = self.wait("the itinerary to be confirmed by the travel agency", confirmed)
        current = [b for b in itinerary["bookings"] if b["current"]]
        self.say(p, f"itinerary confirmed: {len(current)} bookings, flights "
                    f"{itinerary['arrival_by']} → {itinerary['departure_date']}")
        return itinerary

    def reschedule(self, p: Patient, reason_code: str = "surgeon_unavailable",
                   surgery_date: date | None = None) -> dict:
        old = dict(p.plan)
        self.staff(PLANNER).post(f"/journeys/{p.journey_id}/surgery/reschedule", {
            "reason_code": reason_code, "surgery_date": surgery_date.isoformat() if surgery_date else None})
        self.say(p, f"planner reschedules the surgery of {old['surgery_date']} ({reason_code})")
        return self.wait_surgery_scheduled(p, other_than=old)

    def cancel(self, p: Patient, reason_code: str = "patient_withdrew") -> None:
        self.staff(PLANNER).post(f"/journeys/{p.journey_id}/surgery/cancel", {"reason_code": reason_code})
        self.say(p, f"planner cancels the surgery ({reason_code})")

    def wait_cancellation_settled(self, p: Patient) -> None:
        """After a cancellation: money refunded, bookings cancelled, rehabilitation plan withdrawn."""
        refunded = self.wait("the refund to be issued", lambda: (found := self.invoice(p))
                             and found["invoice"]["refunded_cents"] > 0 and found)
        self.say(p, f"refund of EUR {refunded['invoice']['refunded_cents'] / 100:,.2f} issued")
        self.wait("the itinerary to be cancelled",
                  lambda: (found := self.itinerary(p)) and found["status"] == "cancelled")
        self.say(p, "flights and hotels cancelled at the agency")
        self.wait("the rehabilitation plan to be withdrawn",
                  lambda: (found := self.rehab_plan(p)) and found["status"] == "withdrawn")
        self.say(p, "rehabilitation plan withdrawn")

    # -- the clinical stay ----------------------------------------------------------------------
    def _clinical(self, p: Patient, action: str, body: dict) -> dict:
        return self.staff(SPECIALIST).post(f"/journeys/{p.journey_id}/surgery/{action}", body)

    def preop_check(self, p: Patient, fit: bool = True, reason_code: str | None = None) -> dict:
        day = p.day("preop_check_date")
        self.clock.advance_to(day)
        case = self._clinical(p, "preop-check", {"fit": fit, "reason_code": reason_code,
                                                 "checked_on": day.isoformat()})
        self.say(p, f"{day}: pre-op check at the hospital, {'fit' if fit else 'not fit'} for surgery")
        return case

    def operate(self, p: Patient) -> dict:
        day = p.day("surgery_date")
        self.clock.advance_to(day)
        case = self._clinical(p, "operation", {
            "performed_on": day.isoformat(), "side": "left", "implant_type": "sample implant",
            "implant_size": "16 mm", "implant_lot": f"LOT-SAMPLE-{p.number}",
            "implant_serial": f"SN-{p.number:05d}"})
        self.say(p, f"{day}: surgery performed, implant recorded (lot LOT-SAMPLE-{p.number})")
        return case

    def ward_stay(self, p: Patient) -> None:
        """Visits twice a day on the ward and the post-surgery image of the residual limb."""
        surgery, leave = p.day("surgery_date"), p.day("planned_ward_discharge")
        self._clinical(p, "images", {"reference": f"PACS:SAMPLE-{p.number}", "taken_on": surgery.isoformat()})
        day = surgery
        while day < leave:
            for slot in ("morning", "evening"):
                self._clinical(p, "ward-visits", {"visit_date": day.isoformat(), "slot": slot,
                                                  "note": "sample note: stoma calm"})
            day += DAY
        self.say(p, f"ward: {2 * (leave - surgery).days} visits and the post-surgery image recorded")

    def discharge(self, p: Patient) -> dict:
        day = p.day("planned_ward_discharge")
        self.clock.advance_to(day)
        case = self._clinical(p, "ward-discharge", {"discharged_on": day.isoformat()})
        self.say(p, f"{day}: discharged from the ward to the hotel")
        return case

    # -- rehabilitation -------------------------------------------------------------------------
    def _rehab(self, p: Patient, action: str, body: dict) -> dict:
        return self.staff(PHYSIO).post(f"/journeys/{p.journey_id}/rehabilitation/{action}", body)

    def wait_rehab_plan(self, p: Patient) -> dict:
        plan = self.wait("the rehabilitation plan to start",
                         lambda: (found := self.rehab_plan(p)) and found["status"] == "active" and found)
        self.say(p, f"rehabilitation plan: from {plan['start_date']} to {plan['planned_end']}, "
                    f"target load {plan['target_load_kg']} kg")
        return plan

    def rehabilitate(self, p: Patient) -> dict:
        """Supervised sessions on the plan's days, one load step each, to the target load."""
        plan = self.wait_rehab_plan(p)
        days = sorted(date.fromisoformat(d) for d in plan["planned_sessions"])
        day = date.fromisoformat(plan["start_date"]) - DAY
        for _ in range(60):
            if plan["phase"] != "load_build_up":
                return plan
            day = next((d for d in days if d > day), day + DAY)
            target = Decimal(plan["target_load_kg"])
            load = min(Decimal(plan["next_step_kg"] or target), target)
            self.clock.advance_to(day)
            plan = self._rehab(p, "sessions", {
                "session_date": day.isoformat(), "duration_minutes": 120, "load_kg": str(load),
                "pain_score": 2,
                "notes_ref": f"EPD-SAMPLE-{p.number}", "exercises": ["muscle_strengthening", "load_on_pin"]})
            self.say(p, f"{day}: physiotherapy session, {load} kg on the pin ({plan['progress_percent']}%)")
        raise StepFailed(f"the target load was not reached after 60 sessions: {plan}")

    def fit_prosthesis(self, p: Patient) -> dict:
        day = date.fromisoformat(self.rehab_plan(p)["target_reached_on"]) + DAY
        self.clock.advance_to(day)
        plan = self._rehab(p, "prosthesis-fitting", {"fitted_on": day.isoformat()})
        self.say(p, f"{day}: prosthesis fitted; gait training starts")
        return plan

    def complete_rehabilitation(self, p: Patient) -> dict:
        plan = self.rehab_plan(p)
        day = max(date.fromisoformat(plan["planned_end"]), date.fromisoformat(plan["prosthesis_fitted_on"]))
        self.clock.advance_to(day)
        plan = self._rehab(p, "completion", {"completed_on": day.isoformat()})
        self.say(p, f"{day}: rehabilitation complete; the patient flies home")
        return plan

    def wait_followup_plan(self, p: Patient) -> dict:
        schedule = self.wait("the follow-up plan",
                             lambda: (found := self.followup_schedule(p)) and found.get("checkups") and found)
        first = schedule["checkups"][0]
        self.say(p, f"tele-follow-up planned: {len(schedule['checkups'])} check-ups, the first due "
                    f"{first.get('due_on') or first}")
        return schedule

    # -- whole stretches ------------------------------------------------------------------------
    def to_surgery_scheduled(self, number: int, **form) -> Patient:
        """From the public form to a surgery date with flights and hotels confirmed.
        `form` changes the sample form (or gives the patient's `source_address`)."""
        p = self.enquire(number, **form)
        self.screen(p)
        self.accept(p)
        self.pay_deposit(p)
        self.wait_surgery_scheduled(p)
        self.wait_itinerary_confirmed(p)
        return p

    def whole_journey(self, number: int, **form) -> Patient:
        """From the public form to the tele-follow-up plan."""
        p = self.to_surgery_scheduled(number, **form)
        self.preop_check(p)
        self.operate(p)
        self.ward_stay(p)
        self.discharge(p)
        self.rehabilitate(p)
        self.fit_prosthesis(p)
        self.complete_rehabilitation(p)
        self.wait_followup_plan(p)
        self.wait_stage(p, "follow_up")
        self.say(p, "journey board: follow-up stage")
        return p
