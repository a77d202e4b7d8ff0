"""Messages with the care team, from the staff side: a patient's message waiting on a role's task list,
and that role's reply (the patient is emailed that a message waits). Mixed into JourneyDriver."""
from ops.journeys.sample import Patient
from services.gateway.domain.roles import INTAKE


class Messages:
    """Staff steps of the secure thread (needs JourneyDriver's plumbing)."""

    def thread(self, p: Patient, role: str = INTAKE) -> list[dict]:
        """The thread between the patient and the care team, oldest message first."""
        return self.staff(role).get(f"/journeys/{p.journey_id}/messages")["messages"]

    def wait_patient_message(self, p: Patient, role: str = INTAKE) -> dict:
        """The patient's message to `role` once it is on that role's task list (unread)."""
        def waiting():
            return next((item for item in self.staff(role).get(f"/messages/unread?role={role}")
                         if item["journey_id"] == p.journey_id), None)
        found = self.wait(f"the patient's message on the {role}'s task list", waiting)
        self.say(p, f"a message from the patient waits for the {role}")
        return found

    def reply_to_patient(self, p: Patient, text: str, role: str = INTAKE) -> dict:
        """The role answers in the thread; it answers the patient's unread messages to it."""
        sent = self.staff(role).post(f"/journeys/{p.journey_id}/messages", {"text": text})
        self.say(p, f"the {role} answered the patient's message")
        return sent
