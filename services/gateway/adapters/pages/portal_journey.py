"""My journey: where the patient is, what the clinic waits for from them, what happens next, and the
dates that matter, each as a calendar file. The words are the journey's (its patient view), read in
the patient's language; the dates are dates (the day of the surgery is the same day everywhere)."""
import hashlib
from datetime import date

from services.gateway.adapters import calendars
from services.gateway.adapters.pages.portal_words import YOUR_TURN
from services.gateway.adapters.portal import N_, calendar_file, portal_page, say
from shared.errors import NotFound
from shared.i18n import formats

GONE = N_("This date is no longer in your journey; please open My journey again.")


def _key(appointment: dict) -> str:
    """A date's address: what it is and when (a moved date is a new address, an old one a 404)."""
    digest = hashlib.sha256(appointment["what"].encode()).hexdigest()[:10]
    return f"{appointment['on']}-{digest}"


def _dates(ui, view: dict) -> list[dict]:
    return [{**a, "key": _key(a), "day": formats.day(a["on"], ui.language), "what": say(ui, a["what"])}
            for a in view["appointments"]]


@portal_page("journey", action=N_("see this journey"), menu=N_("My journey"), order=10)
def my_journey(ui):
    view = ui.service.journey_rpc.patient_view(ui.principal.journey_id)
    steps = view["next_steps"]
    return ui.render("portal_journey.html", stage=view["stage"],
                     your_turn=[s for s in steps if s in YOUR_TURN],
                     clinic_turn=[s for s in steps if s not in YOUR_TURN],
                     dates=_dates(ui, view))


def _entries(ui, appointments: list[dict]) -> list[tuple[dict, calendars.Entry]]:
    """Each date with its calendar entry."""
    keys = calendars.occurrence_keys([a["what"] for a in appointments])
    return [(a, calendars.Entry(key=key, summary=say(ui, a["what"]),
                                on=date.fromisoformat(str(a["on"])[:10])))
            for a, key in zip(appointments, keys, strict=True)]


@portal_page("journey/calendar/<key>.ics", action=N_("export a date of this journey to a calendar"))
def journey_date_file(ui, key):
    view = ui.service.journey_rpc.patient_view(ui.principal.journey_id)
    found = [entry for appointment, entry in _entries(ui, view["appointments"]) if _key(appointment) == key]
    if not found:
        raise NotFound(GONE)
    return calendar_file(calendars.ics(ui.principal.journey_id, found[:1]), "carepath-date.ics")


@portal_page("journey/calendar.ics", action=N_("export the dates of this journey to a calendar"))
def journey_dates_file(ui):
    view = ui.service.journey_rpc.patient_view(ui.principal.journey_id)
    entries = [entry for appointment, entry in _entries(ui, view["appointments"]) if not appointment["past"]]
    return calendar_file(calendars.ics(ui.principal.journey_id, entries), "carepath-dates.ics")
