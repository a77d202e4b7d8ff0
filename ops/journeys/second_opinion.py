"""The second opinion at the partner clinic: asked on the public form, booked, held or missed, concluded;
and the health questions of the suitability enquiry an advice to enquire opens. Mixed into JourneyDriver."""
import uuid
from datetime import date, datetime, time

from ops.journeys.sample import CLINIC_TZ, DAY, Patient, sample_form
from services.gateway.domain.roles import INTAKE, SPECIALIST

PARTNER_CLINIC = "Partner clinic, Amsterdam"
HEALTH_QUESTIONS = ("date_of_birth", "amputation_side", "years_since_amputation", "smoking_status",
                    "diabetes", "circulatory_disease", "body_weight_kg")


def second_opinion_form(number: int, **changes) -> dict:
    """A second-opinion request from someone in pain with a socket prosthesis (sample data only)."""
    form = {"name": f"Sample Person {number}",
            "email": f"sample.{number}.{uuid.uuid4().hex[:8]}@example.invalid",
            "phone": "+47 000 00 000", "country": "NO", "preferred_language": "en",
            "prosthesis_complaints": "Sample complaint: the socket hurts after an hour",
            "amputation_level": "transfemoral", "privacy_consent": True, "health_data_consent": True,
            "marketing_consent": False}
    return form | changes


class SecondOpinion:
    """Steps of a second opinion (needs JourneyDriver's plumbing)."""

    def ask_second_opinion(self, number: int, **form) -> Patient:
        receipt = self.public.post("/enquiries/second-opinion", second_opinion_form(number, **form))
        person = Patient(number, receipt["journey_id"])
        self.say(person, f"second opinion asked for (journey {person.journey_id})")
        return person

    def book_second_opinion(self, p: Patient, on: date | None = None, at: time = time(10)) -> dict:
        """A coordinator books the appointment at the partner clinic (tomorrow, unless told)."""
        when = datetime.combine(on or self.clock.today() + DAY, at, CLINIC_TZ)
        view = self.staff(INTAKE).post(f"/enquiries/{p.journey_id}/second-opinion/appointments",
                                       {"scheduled_at": when.isoformat(), "place": PARTNER_CLINIC})
        self.say(p, f"second-opinion appointment booked for {when.isoformat()} at the partner clinic")
        return view["appointments"][-1]

    def record_second_opinion(self, p: Patient, appointment: dict, status: str = "held") -> dict:
        """The appointment's day comes; the specialist records how it went (held or missed)."""
        self.clock.advance_to(datetime.fromisoformat(appointment["scheduled_at"]).astimezone(CLINIC_TZ).date())
        view = self.staff(SPECIALIST).call(
            "PATCH", f"/enquiries/{p.journey_id}/second-opinion/appointments/{appointment['id']}",
            {"status": status})
        self.say(p, f"{self.clock.today()}: second-opinion appointment {status}")
        return view

    def conclude_second_opinion(self, p: Patient, outcome: str = "advised_to_enquire") -> dict:
        view = self.staff(SPECIALIST).post(f"/enquiries/{p.journey_id}/second-opinion/conclusion",
                                           {"outcome": outcome})
        opened = view["suitability_journey_id"]
        self.say(p, f"second opinion concluded: {outcome}"
                    + (f" (suitability enquiry opened, journey {opened})" if opened else ""))
        return view

    def answer_health_questions(self, p: Patient, **answers) -> dict:
        """A coordinator, on the phone with the person, answers what the second opinion did not ask."""
        known = {key: value for key, value in sample_form(p.number).items() if key in HEALTH_QUESTIONS}
        prescreen = self.staff(INTAKE).call("PUT", f"/enquiries/{p.journey_id}/health-questions",
                                            known | answers)
        self.say(p, f"health questions answered; pre-screen: {prescreen['outcome']}")
        return prescreen
