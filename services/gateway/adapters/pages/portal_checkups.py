"""Check-ups from home: the next one in the patient's own time, by video app or telephone and how
to join, each as a calendar file; and a request to move one, which the follow-up staff see
(followup's checkup_move_requests, GET /api/followup/move-requests)."""
from datetime import datetime

from werkzeug.utils import redirect

from services.gateway.adapters import calendars
from services.gateway.adapters.portal import N_, calendar_file, checkups, portal_page, say, time_zone
from shared.clock import clinic_clock
from shared.errors import Invalid, NotFound
from shared.i18n import formats

CHANNELS = {"video": N_("Video call"), "telephone": N_("Telephone")}
APPS = {"facetime": "FaceTime", "skype": "Skype"}
STATUSES = {"planned": N_("Planned"), "done": N_("Done"), "missed": N_("Missed"),
            "cancelled": N_("Cancelled")}
REASONS = {"not_available": N_("I am not available then"), "travelling": N_("I am travelling"),
           "unwell": N_("I am unwell"), "other": N_("Another reason")}
MINUTES = 30
CHOOSE = N_("Please choose why you would like to move this check-up.")
GONE = N_("This check-up is no longer planned; please open Check-ups again.")
# What follow-up answers when a check-up cannot be moved (services/followup/domain/moves.py).
REFUSALS = (N_("This check-up's date has passed, so it cannot be moved; please call the clinic."),
            N_("This check-up is done, so it cannot be moved."),
            N_("This check-up is missed, so it cannot be moved."),
            N_("This check-up is cancelled, so it cannot be moved."))


def _join(ui, c: dict) -> str:
    if c["channel"] == "video":
        return say(ui, N_("The specialist calls you on %(app)s at this time. Open the app a few minutes "
                          "before, with sound on, somewhere you can show your leg."),
                   app=APPS.get(c.get("video_app") or "", say(ui, N_("your video app"))))
    return say(ui, N_("The specialist calls you by telephone at this time, on the number you gave us."))


def _checkup(ui, c: dict, zone: str, asked: dict) -> dict:
    start = datetime.fromisoformat(c["local_start"])
    coming = c["status"] == "planned" and start.date() >= clinic_clock(ui.config).today()
    return {**c, "when": formats.moment(start, zone, ui.language), "start": start,
            "channel_words": say(ui, CHANNELS.get(c["channel"], c["channel"])), "join": _join(ui, c),
            "status_words": say(ui, STATUSES.get(c["status"], c["status"])),
            "asked": asked.get(c["id"]), "coming": coming}


def _schedule(ui) -> tuple[list[dict], str]:
    schedule = checkups(ui)
    if schedule is None:
        return [], time_zone(ui, {})
    zone = time_zone(ui, schedule)
    asked = {r["checkup_id"]: {**r, "day": formats.day(r["requested_at"], ui.language)}
             for r in ui.service.followup_rpc.checkup_move_requests(ui.principal.journey_id)}
    return [_checkup(ui, c, zone, asked) for c in schedule["checkups"]], zone


@portal_page("checkups", action=N_("see the check-ups of this journey"), menu=N_("Check-ups"), order=60)
def my_checkups(ui):
    found, zone = _schedule(ui)
    coming = [c for c in found if c["coming"]]
    return ui.render("portal_checkups.html", next=coming[0] if coming else None, later=coming[1:],
                     earlier=[c for c in found if not c["coming"]], zone=zone,
                     reasons=[(code, say(ui, words)) for code, words in REASONS.items()],
                     asked=ui.request.args.get("asked"))


@portal_page("checkups/<checkup_id>/move", action=N_("ask to move a check-up"), methods=("POST",))
def ask_to_move_checkup(ui, checkup_id):
    reason = ui.request.form.get("reason", "")
    if reason not in REASONS:
        raise Invalid(CHOOSE)
    preferred = ui.request.form.get("preferred", "").strip()[:200] or None
    ui.service.followup_rpc.request_checkup_move(ui.principal.journey_id, checkup_id[:36],
                                                 {"reason": reason, "preferred": preferred})
    return redirect(f"/p/checkups?asked={checkup_id[:36]}#checkup-{checkup_id[:36]}", code=303)


@portal_page("checkups/<checkup_id>.ics", action=N_("export a check-up to a calendar"))
def checkup_file(ui, checkup_id):
    found = [c for c in _schedule(ui)[0] if c["id"] == checkup_id]
    if not found:
        raise NotFound(GONE)
    c = found[0]
    entry = calendars.Entry(key=f"checkup:{c['id']}", summary=say(ui, N_("Check-up with the specialist")),
                            start=c["start"], minutes=MINUTES, description=_join(ui, c))
    return calendar_file(calendars.ics(ui.principal.journey_id, [entry]), "carepath-checkup.ics")
