"""Who looked at my file: every access-log entry of the patient's record (NEN 7513): the role (never
the person), when, what, and whether it was allowed. What was done reads as the route's or page's own
action, in the patient's language where the catalogs have it."""
from services.gateway.adapters.portal import N_, portal_page, say, time_zone
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


def _actions() -> dict[str, str]:
    """Each logged action's words: an API route's action, a staff page's, a portal page's."""
    words = {route.name: route.action or route.summary for route in load_routes()}
    for rule in PAGES.iter_rules():
        found = rule.endpoint
        words.setdefault(f"ui_{found.name}", found.action)
        words.setdefault(f"portal_{found.name}", found.action)
    return words


def _what(ui, action: str, actions: dict) -> str:
    phrase = say(ui, actions.get(action) or action.replace("_", " "))
    return phrase[:1].upper() + phrase[1:]


@portal_page("access-log", action=N_("see who looked at this file"), menu=N_("Who looked at my file"),
             order=90)
def who_looked(ui):
    zone, actions = time_zone(ui), _actions()
    entries = [{"when": formats.moment(e["at"], zone, ui.language), "own": e["role"] == "patient",
                "role": say(ui, ROLES.get(e["role"], ROLE_NOUNS.get(e["role"], e["role"]))),
                "what": _what(ui, e["action"], actions), "outcome": say(ui, OUTCOMES.get(e["outcome"], ""))}
               for e in access_entries(ui.service.uow, ui.principal, ui.principal.journey_id)]
    # The clinic's looks first; the patient's own visits (every page they open) below, folded.
    return ui.render("portal_access.html", entries=[e for e in entries if not e["own"]],
                     own=[e for e in entries if e["own"]])
