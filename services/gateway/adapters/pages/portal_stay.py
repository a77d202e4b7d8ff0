"""My stay: the flights and the hotel the clinic booked for the patient, and what changed, from
travel's itinerary (booking codes are what the airline and the hotel ask for)."""
from nameko.exceptions import RemoteError

from services.gateway.adapters.portal import N_, portal_page, say
from shared.i18n import formats

PARTS = {"outbound": N_("Your flight to the Netherlands"), "hotel_preop": N_("Hotel before your surgery"),
         "hotel_stay": N_("Hotel for your stay"), "return": N_("Your flight home")}
STATUSES = {"confirmed": N_("Booked"), "cancelled": N_("Cancelled")}
# What changed, for the patient: travel's history entries that change their plans.
CHANGES = {"booking_confirmed": N_("%(part)s: booked"),
           "schedule_changed": N_("%(part)s: changed by the airline or the hotel"),
           "booking_cancelled": N_("%(part)s: cancelled"),
           "cancelled_by_agency": N_("%(part)s: cancelled by the airline or the hotel"),
           "return_moved": N_("Your flight home was moved"),
           "itinerary_cancelled": N_("Your travel was cancelled"),
           "patient_in_country": N_("You are already in the Netherlands: your hotel stay is extended")}


def _itinerary(ui) -> dict | None:
    try:
        return ui.service.travel_rpc.get_itinerary(ui.principal.journey_id)
    except RemoteError as exc:
        if exc.exc_type == "NotFound":
            return None
        raise


def _booking(ui, b: dict) -> dict:
    start, end = b.get("booked_start") or b["wanted_start"], b.get("booked_end") or b["wanted_end"]
    route = f"{b['origin']} → {b['destination']}" if b.get("origin") and b.get("destination") else ""
    return {"part": say(ui, PARTS.get(b["part"], b["part"])), "kind": b["kind"], "route": route,
            "start": formats.day(start, ui.language), "end": formats.day(end, ui.language),
            "status": say(ui, STATUSES.get(b["status"], N_("Being booked"))),
            "code": b.get("confirmation_code")}


def _change(ui, h: dict) -> dict | None:
    if h["code"] not in CHANGES:
        return None
    part = say(ui, PARTS.get(h.get("part") or "", "")) or say(ui, N_("Your travel"))
    return {"when": formats.day(h["at"], ui.language), "what": say(ui, CHANGES[h["code"]], part=part)}


@portal_page("stay", action=N_("see the flights and hotel of this stay"), menu=N_("My stay"), order=40)
def my_stay(ui):
    itinerary = _itinerary(ui)
    if itinerary is None:
        return ui.render("portal_stay.html", itinerary=None)
    bookings = [_booking(ui, b) for b in itinerary["bookings"] if b.get("current", True)]
    changes = [c for c in (_change(ui, h) for h in reversed(itinerary["history"])) if c]
    return ui.render("portal_stay.html", itinerary=itinerary, bookings=bookings, changes=changes,
                     arrival=formats.day(itinerary["arrival_by"], ui.language),
                     departure=formats.day(itinerary["departure_date"], ui.language))
