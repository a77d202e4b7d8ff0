"""Tele-follow-up after the patient has flown home: a check-up held, an image sent from home, the
specialist's assessment, and the action on a complication. Mixed into JourneyDriver."""
from datetime import date

from ops.journeys.api import Api
from ops.journeys.sample import Patient
from services.gateway.domain.roles import SPECIALIST

CALM = {"stoma_condition": "calm", "pain_score": 1, "infection_signs": False, "activity_level": "moderate",
        "implant_stability": "stable"}


class FollowUp:
    """Steps of the follow-up stage (needs JourneyDriver's plumbing)."""

    def followup_record(self, p: Patient) -> dict | None:
        """The specialist's view of the follow-up file: check-ups, images, reviews and escalations."""
        return self.staff(SPECIALIST).maybe(f"/journeys/{p.journey_id}/followup")

    def images(self, p: Patient) -> list[dict]:
        """The specialist's list of the patient's images, each with its review."""
        return self.staff(SPECIALIST).get(f"/journeys/{p.journey_id}/followup/images")["images"]

    def wait_image(self, p: Patient, count: int = 1) -> dict:
        """The newest image of the patient file once it holds `count` (one the patient sent, say)."""
        found = self.wait(f"{count} image(s) in the patient file",
                          lambda: (listed := self.images(p)) and len(listed) >= count and listed)
        return max(found, key=lambda image: image["uploaded_at"])

    def problem_reports(self, p: Patient) -> list[dict]:
        """The problems the patient reported from home, as the specialist reads them."""
        return self.staff(SPECIALIST).get(f"/journeys/{p.journey_id}/followup/problems")["reports"]

    def patient_api(self, p: Patient) -> Api:
        """The patient at home, through a personal link the specialist sends."""
        link = self.staff(SPECIALIST).post(f"/journeys/{p.journey_id}/patient-link", {"valid_days": 1})
        return Api(self.gateway_url, token=link["token"], source_address=self.public.source_address,
                   on_wait=self._say)

    def hold_checkup(self, p: Patient, findings: dict | None = None) -> dict:
        """The next planned check-up, held on its due day (video call) and recorded by the specialist."""
        checkup = next(c for c in self.followup_schedule(p)["checkups"] if c["status"] == "planned")
        day = date.fromisoformat(checkup["due_on"])
        self.clock.advance_to(day)
        path = f"/journeys/{p.journey_id}/followup/checkups/{checkup['id']}/outcome"
        held = self.staff(SPECIALIST).post(path, {"outcome": "done", "findings": findings or CALM})
        self.say(p, f"{day}: the {checkup['label']} check-up held and recorded")
        return held["checkup"]

    def send_image(self, p: Patient, data: bytes, media_type: str, checkup_id: str | None = None,
                   body_part: str = "left_femur", sender: Api | None = None) -> dict:
        """An X-ray or photo the patient uploads from home (or `sender`), for a check-up if given."""
        query = {"body_part": body_part, "made_where": "Local hospital, Odense, DK",
                 **({"checkup_id": checkup_id} if checkup_id else {})}
        sent = (sender or self.patient_api(p)).upload(f"/journeys/{p.journey_id}/followup/images", data,
                                                     media_type, params=query)
        self.say(p, f"image sent from home ({body_part}, {media_type})")
        return sent["image"]

    def assess(self, p: Patient, subject: str, subject_id: str, outcome: str, concerns=()) -> dict:
        """The specialist's assessment of an image or a check-up (a concern escalates)."""
        done = self.staff(SPECIALIST).post(f"/journeys/{p.journey_id}/followup/assessments", {
            "subject": subject, "subject_id": subject_id, "outcome": outcome, "concerns": list(concerns)})
        self.say(p, f"specialist assessed the {subject}: {outcome}")
        return done

    def resolve_escalation(self, p: Patient, escalation_id: str, action_code: str) -> dict:
        path = f"/journeys/{p.journey_id}/followup/escalations/{escalation_id}/resolve"
        done = self.staff(SPECIALIST).post(path, {"action_code": action_code})
        self.say(p, f"complication acted on: {action_code}")
        return done
