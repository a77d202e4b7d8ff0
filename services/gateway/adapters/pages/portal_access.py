"""Who looked at my file: every access-log entry of the patient's record (NEN 7513): the role (never
the person), when, what, and whether it was allowed. What was done reads as the route's or page's own
action, in the patient's language where the catalogs have it."""
from nameko.exceptions import RemoteError, UnknownService

from services.gateway.adapters.portal import N_, checkups, portal_page, say, time_zone
from services.gateway.adapters.routing import load_routes
from services.gateway.adapters.ui import PAGES
from services.gateway.domain.roles import ROLE_NOUNS
from services.gateway.handlers.access_log import access_entries
from shared.i18n import formats

ROLES = {"intake_coordinator": N_("Intake coordinator"), "psychologist": N_("Psychologist"),
         "specialist": N_("Specialist"), "planner": N_("Planner"), "finance": N_("Finance"),
         "travel_desk": N_("Travel desk"), "physiotherapist": N_("Physiotherapist"),
         "administrator": N_("Administrator"), "patient": N_("You (your personal link)"),
         "anonymous": N_("Someone without a valid link")}
OUTCOMES = {"allowed": N_("allowed"), "denied": N_("refused")}
# Pages that log a read under a name of their own, not `ui_<handler>`: the page each one is.
LOGGED_AS = {"ui_timeline": "ui_journey", "ui_fhir_export": "ui_export_fhir",
             "ui_access_log": "ui_journey_access_log"}
# A patient shown in search results (`<search>_result`), a form the service refused (`<page>_refused`).
SUFFIXES = ("_result", "_refused")


def _actions() -> dict[str, str]:
    """Each logged action's words: an API route's action, a staff page's, a portal page's (N_() messages,
    where they are declared)."""
    words = {route.name: route.action or route.summary for route in load_routes()}
    for rule in PAGES.iter_rules():
        found = rule.endpoint
        words.setdefault(f"ui_{found.name}", found.action)
        if found.for_patients:   # a portal page (portal_page logs it as portal_<handler>)
            words[f"portal_{found.name}"] = found.action
    return words


def words_of(action: str, actions: dict) -> str | None:
    """The declared words of an action name the access log holds, or None for one no route or page has."""
    for suffix in SUFFIXES:
        if action not in actions and action.endswith(suffix):
            action = action.removesuffix(suffix)
    action = LOGGED_AS.get(action, action)
    return actions.get(action)


def _what(ui, action: str, actions: dict) -> str:
    phrase = say(ui, words_of(action, actions) or action.replace("_", " "))
    return phrase[:1].upper() + phrase[1:]


@portal_page("access-log", action=N_("see who looked at this file"), menu=N_("Who looked at my file"),
             order=90)
def who_looked(ui):
    try:
        schedule = checkups(ui) or {}
    except (RemoteError, UnknownService):   # follow-up away: the clinic's zone, named as such
        schedule = {}
    zone, actions = time_zone(ui, schedule), _actions()
    # Follow-up knows the patient's zone once there is a plan; before that the times are the clinic's.
    theirs = bool((schedule.get("preferences") or {}).get("time_zone"))
    entries = [{"when": formats.moment(e["at"], zone, ui.language), "own": e["role"] == "patient",
                "role": say(ui, ROLES.get(e["role"], ROLE_NOUNS.get(e["role"], e["role"]))),
                "what": _what(ui, e["action"], actions), "outcome": say(ui, OUTCOMES.get(e["outcome"], ""))}
               for e in access_entries(ui.service.uow, ui.principal, ui.principal.journey_id)]
    # The clinic's looks first; the patient's own visits (every page they open) below, folded.
    return ui.render("portal_access.html", entries=[e for e in entries if not e["own"]],
                     own=[e for e in entries if e["own"]], zone=zone, zone_is_theirs=theirs)
