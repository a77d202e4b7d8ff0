"""The operations page (/ui/admin/operations, administrators only): every service's dead letters, each with
its envelope and error (never its payload), to replay onto its consumer's queue or discard; and the emails
notifications could not send, to send again. A service that does not answer is named as such; the rest
still shows.

The forms call the same use cases as the API's routes (handlers/operations.py) and carry the page's CSRF
token and idempotency key, so a double click acts once. The view is an access-log entry, with a read of
each journey a letter or an email names; each action is an entry of the letter's journey."""
from datetime import datetime, tzinfo

from nameko.exceptions import RemoteError
from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.ui import page
from services.gateway.domain.roles import ADMIN
from services.gateway.handlers.operations import discard, overview, replay, retry_mail
from services.gateway.handlers.work import settings as work_settings
from shared.clock import clinic_clock
from shared.contracts.api.operations import SERVICES
from shared.errors import Conflict, NotFound
from shared.i18n import N_

PAGE = "/ui/admin/operations"
REFUSED = ("NotFound", "Conflict")   # shown on the page beside the lists; anything else is the error page
DONE = {"replayed": "Dead letter {id} of {service}: handed back to its consumer. If the consumer still "
                    "cannot handle it, it is parked again as a new letter.",
        "discarded": "Dead letter {id} of {service}: discarded. It is kept, and never replayed.",
        "retried": "The email {id}: to be sent again now, from the first step of the retry schedule.",
        "not_retried": "The email {id} was not waiting to be sent again (sent or retried already)."}


@page("admin/operations", roles=ADMIN,
      action=N_("see the dead letters and the emails that could not be sent"))
def operations(ui):
    return _page(ui, notice=_notice(ui))


@page("admin/operations/dead-letters/<service>/<int:letter_id>/replay", roles=ADMIN,
      action=N_("replay a dead letter"), methods=("POST",))
def replay_dead_letter(ui, service, letter_id):
    return _on_letter(ui, replay, service, letter_id, "ui_replay_dead_letter", "replayed")


@page("admin/operations/dead-letters/<service>/<int:letter_id>/discard", roles=ADMIN,
      action=N_("discard a dead letter"), methods=("POST",))
def discard_dead_letter(ui, service, letter_id):
    return _on_letter(ui, discard, service, letter_id, "ui_discard_dead_letter", "discarded")


def _on_letter(ui, use_case, service: str, letter_id: int, logged_as: str, done_word: str):
    """A form on one letter: the use case, its access-log entry, back to the page saying it was done."""
    try:
        done = use_case(ui.service, service, letter_id)
    except (NotFound, Conflict, RemoteError) as exc:
        return _refused(ui, exc)
    ui.log_access(done["journey_id"], logged_as)
    return redirect(f"{PAGE}?{done_word}={service}/{letter_id}", code=303)


@page("admin/operations/emails/<uuid:message_id>/retry", roles=ADMIN, action=N_("retry a message"),
      methods=("POST",))
def retry_email(ui, message_id):
    done = retry_mail(ui.service, str(message_id))
    ui.log_access(None, "ui_retry_email")
    return redirect(f"{PAGE}?{'retried' if done['retried'] else 'not_retried'}={message_id}", code=303)


def _refused(ui, exc: Exception):
    """A letter no longer there or no longer parked: the page again, saying so; anything else is an error."""
    if isinstance(exc, RemoteError) and exc.exc_type not in REFUSED:
        raise exc
    failure = classify(exc)
    return _page(ui, error=failure.message, code=failure.status)


def _page(ui, *, notice: str | None = None, error: str | None = None, code: int = 200):
    found = overview(ui.service, work_settings(ui.config)["source_timeout"])
    letters = [letter for name in SERVICES for letter in found["letters"][name] or ()]
    mail = found["mail"] or []
    journeys = sorted({item["journey_id"] for item in letters + mail if item.get("journey_id")})
    ui.log_access(None, "ui_operations", detail=f"{len(letters)} dead letters, {len(mail)} emails not sent")
    ui.log_reads(journeys, "ui_operations")
    zone = clinic_clock(ui.config).timezone
    return ui.render("admin_operations.html", code, letters=letters, mail=mail, notice=notice, error=error,
                     away=[name for name in SERVICES if found["letters"][name] is None],
                     quiet=[name for name in SERVICES if found["letters"][name] == []],
                     mail_away=found["mail"] is None, zone=str(zone),
                     when=lambda value: _when(value, zone))


def _notice(ui) -> str | None:
    """What the last action was, from the address it redirected to."""
    for what, words in DONE.items():
        value = ui.request.args.get(what, "")[:60]
        service, _, number = value.partition("/")
        if what in ("replayed", "discarded") and service in SERVICES and number.isdigit():
            return words.format(service=service, id=int(number))
        if what in ("retried", "not_retried") and len(value) == 36 and value.count("-") == 4:
            return words.format(id=value[:8])
    return None


def _when(value: str | None, zone: tzinfo) -> str:
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "–"
