"""JourneyDriver: the journey's steps (Admission, Stay), what users see, and whole stretches."""
import threading
import time
from pathlib import Path

from ops.journeys.admission import Admission
from ops.journeys.api import Api, StepFailed
from ops.journeys.followup import FollowUp
from ops.journeys.messages import Messages
from ops.journeys.sample import Clock, Patient
from ops.journeys.second_opinion import SecondOpinion
from ops.journeys.stay import Stay
from services.gateway.domain.roles import (
    ADMIN,
    FINANCE,
    INTAKE,
    PHYSIOTHERAPIST,
    PLANNER,
    SPECIALIST,
    TRAVEL_DESK,
)


class JourneyDriver(Admission, Stay, SecondOpinion, FollowUp, Messages):
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
        return self.staff(PHYSIOTHERAPIST).maybe(f"/journeys/{p.journey_id}/rehabilitation")

    def followup_schedule(self, p: Patient) -> dict | None:
        return self.staff(SPECIALIST).maybe(f"/journeys/{p.journey_id}/followup/schedule")

    def timeline(self, p: Patient) -> dict | None:
        return self.staff(ADMIN).maybe(f"/journeys/{p.journey_id}/timeline")

    def wait_stage(self, p: Patient, stage: str) -> dict:
        return self.wait(f"the journey board to show stage {stage}",
                         lambda: (found := self.timeline(p)) and found["stage"] == stage and found)

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
