"""The journey's first half: enquiry, screening, deposit, surgery date, travel; or its end by
decline or cancellation, and a reschedule. Mixed into JourneyDriver."""
from datetime import date, datetime

import requests

from ops.journeys.api import Api, StepFailed
from ops.journeys.sample import CLINIC_TZ, DAY, Patient, answers_for, sample_form
from services.gateway.domain.roles import INTAKE, PLANNER, PSYCHOLOGIST, SPECIALIST


class Admission:
    """Steps from the public form to a confirmed itinerary (needs JourneyDriver's plumbing)."""

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
        self.screening_steps(p)
        self.fill_in_questionnaire(p)

    def screening_steps(self, p: Patient) -> None:
        """Staff's part of the screening: the invitation and the three appointments, each held; the
        questionnaire is then the patient's to fill in (its email goes out)."""
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

    def fill_in_questionnaire(self, p: Patient) -> None:
        """The patient answers and submits the questionnaire over the API, through a link staff issue."""
        path = f"/enquiries/{p.journey_id}"
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
