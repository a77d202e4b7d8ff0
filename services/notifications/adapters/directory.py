"""What a message needs at send time from the stages that own it, over RPC: the contact details
(enquiries), a personal link (gateway), the bookings (travel) and the check-ups (followup).
Nothing of it is stored here."""
from nameko.exceptions import RemoteError

from shared.contracts.api.notifications import ContactDetails, PatientLinkIssued
from shared.edge import load


class Gone(Exception):
    """The person has no contact details any more (erased): the message is withdrawn."""


class Directory:
    def __init__(self, enquiries, gateway, travel, followup):
        self._enquiries, self._gateway, self._travel, self._followup = enquiries, gateway, travel, followup

    def contact(self, journey_id: str) -> dict:
        try:
            return load(ContactDetails, self._enquiries.contact_for(journey_id))
        except RemoteError as exc:
            if exc.exc_type == "NotFound":
                raise Gone(journey_id) from None
            raise

    def link(self, journey_id: str, purpose: str) -> dict:
        return load(PatientLinkIssued, self._gateway.issue_patient_link(journey_id, {"purpose": purpose}))

    def details(self, journey_id: str, template: str, facts: dict) -> dict:
        if template.startswith("itinerary_") and template != "itinerary_cancelled":
            return {"bookings": bookings(self._travel.get_itinerary(journey_id))}
        if template in ("checkups_planned", "checkup_reminder", "checkup_moved"):
            schedule = self._followup.get_schedule(journey_id)
            return checkups(schedule, facts.get("checkup_date") or facts.get("due_on"))
        return {}


def bookings(itinerary: dict) -> list[dict]:
    """The current flights and hotel, in the order they happen."""
    found = []
    for b in itinerary.get("bookings", []):
        if not b.get("current") or b.get("status") == "cancelled":
            continue
        found.append({"kind": "hotel" if b.get("kind") == "hotel" else "flight",
                      "origin": b.get("origin") or "",
                      "destination": b.get("destination") or "", "code": b.get("confirmation_code"),
                      "start": b.get("booked_start") or b.get("wanted_start"),
                      "end": b.get("booked_end") or b.get("wanted_end")})
    return sorted(found, key=lambda b: (str(b["start"]), b["kind"] == "hotel"))


def checkups(schedule: dict, only_on: str | None) -> dict:
    """The planned check-ups (or only the one on `only_on`), each starting in the patient's zone."""
    zone = (schedule.get("preferences") or {}).get("time_zone")
    found = [{"due_on": c["due_on"], "start": c["local_start"], "channel": c["channel"]}
             for c in schedule.get("checkups", []) if c.get("status") == "planned"
             and (only_on is None or c["due_on"] == only_on)]
    return {"checkups": found, "zone": zone}
