"""The questionnaire in the portal: rendered from its definition (enquiries owns it), one part per page,
each saved to the server when the patient goes on, so it can be resumed on any device; what the service
finds wrong is shown beside its question; the hand-in is one form with its own idempotency key, so a
double click is one submission. No script runs here (the CSP allows none): every save is a form post.

The questionnaire's own texts are data; the catalogs translate them (portal_questionnaire_words.py
lists them for extraction)."""
import re

from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.portal import N_, portal_page
from services.gateway.domain.credentials import QUESTIONNAIRE_SCOPE
from shared.errors import NotFound

HOME = "/p/questionnaire"
_WHOLE = re.compile(r"-?\d{1,9}")


def _enquiries(ui):
    return ui.service.enquiries_rpc


def _shown(ui) -> dict:
    return _enquiries(ui).show_questionnaire(ui.principal.journey_id)


def _sections(shown: dict) -> list[dict]:
    """Each part with how many of its required questions still wait for an answer."""
    missing = set(shown["unanswered"])
    return [dict(section, missing=sum(q["id"] in missing for q in section["questions"]))
            for section in shown["definition"]["sections"]]


def _part(shown: dict, section_id: str) -> tuple[int, dict]:
    for index, section in enumerate(shown["definition"]["sections"]):
        if section["id"] == section_id:
            return index, section
    raise NotFound("there is no such part of the questionnaire")


@portal_page("questionnaire", action=N_("see their questionnaire"), menu=N_("Questionnaire"), order=20,
             scope=QUESTIONNAIRE_SCOPE)
def questionnaire(ui):
    """Where the patient stands: each part answered or not, a way back in, and the hand-in."""
    return _overview(ui, _shown(ui))


def _overview(ui, shown: dict, code: int = 200, problem: str | None = None):
    sections = _sections(shown)
    return ui.render("portal_questionnaire.html", code, sections=sections, problem=problem,
                     resume=next((s for s in sections if s["missing"]), None),
                     submitted=shown["status"] == "submitted", saved=ui.request.args.get("saved") == "1",
                     title_text=shown["definition"]["title"])


@portal_page("questionnaire/<section_id>", action=N_("see a part of their questionnaire"),
             scope=QUESTIONNAIRE_SCOPE)
def questionnaire_part(ui, section_id):
    shown = _shown(ui)
    if shown["status"] == "submitted":
        return redirect(HOME, code=303)
    index, section = _part(shown, section_id[:60])
    return _part_page(ui, shown, index, section, shown["answers"], {})


@portal_page("questionnaire/<section_id>", action=N_("save answers to their questionnaire"),
             methods=("POST",), scope=QUESTIONNAIRE_SCOPE)
def save_questionnaire_part(ui, section_id):
    """Save the part's answers (an empty field clears a saved one); then the next part, or the overview."""
    journey = ui.principal.journey_id
    shown = _shown(ui)
    if shown["status"] == "submitted":
        return redirect(HOME, code=303)
    index, section = _part(shown, section_id[:60])
    answers = read_answers(section["questions"], ui.request.form)
    try:
        _enquiries(ui).save_answers(journey, {"answers": answers})
    except Exception as exc:
        failure = classify(exc)
        if failure.status != 422:
            raise
        ui.log_access(journey, "portal_save_questionnaire_part_refused")
        return _part_page(ui, shown, index, section, {**shown["answers"], **answers},
                          failure.details.get("fields", {}), code=422)
    sections = shown["definition"]["sections"]
    if ui.request.form.get("then") == "stay":
        return redirect(f"{HOME}/{section['id']}?saved=1", code=303)
    if index + 1 < len(sections):
        return redirect(f"{HOME}/{sections[index + 1]['id']}", code=303)
    return redirect(f"{HOME}?saved=1", code=303)


def _part_page(ui, shown, index, section, answers, problems, code=200):
    sections = shown["definition"]["sections"]
    return ui.render("portal_questionnaire_section.html", code, section=section, answers=answers,
                     problems=problems, position=index + 1, total=len(sections),
                     last=index + 1 == len(sections), saved=ui.request.args.get("saved") == "1")


@portal_page("questionnaire/submit", action=N_("submit their questionnaire"), methods=("POST",),
             scope=QUESTIONNAIRE_SCOPE)
def submit_questionnaire(ui):
    """Hand the answers in, once: the form's key makes a double click one submission, and a hand-in from
    another device meanwhile leaves this one with nothing to do but say so."""
    journey = ui.principal.journey_id
    try:
        _enquiries(ui).submit_questionnaire(journey)
    except Exception as exc:
        failure = classify(exc)
        if failure.status not in (409, 422):
            raise
        shown = _shown(ui)
        if shown["status"] == "submitted":
            return redirect(HOME, code=303)
        ui.log_access(journey, "portal_submit_questionnaire_refused")
        return _overview(ui, shown, failure.status, problem="missing" if failure.status == 422 else "not_now")
    return redirect(HOME, code=303)


def read_answers(questions: list[dict], form) -> dict:
    """The part's answers as the service takes them: every question of the part, None for one left
    empty (clearing what was saved). What is not a number where one is asked is passed on as typed,
    for the service to say so beside it."""
    answers = {}
    for q in questions:
        kind, qid = q["type"], q["id"]
        if kind == "multi_choice":
            answers[qid] = [v[:100] for v in form.getlist(qid)][:len(q["options"])] or None
            continue
        raw = (form.get(qid) or "").strip()
        if not raw:
            answers[qid] = None
        elif kind in ("integer", "scale"):
            answers[qid] = int(raw) if _WHOLE.fullmatch(raw) else raw[:20]
        elif kind == "boolean":
            answers[qid] = {"yes": True, "no": False}.get(raw, raw[:10])
        else:
            answers[qid] = raw[:5000] if kind == "text" else raw[:100]   # too long: the service says so
    return answers
