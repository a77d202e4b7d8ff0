"""The journey page's actions (pages/actions.py): the forms a signed-in role gets for the journey's stage,
with their choices and what was typed; and a posted form, sent through the API's own dispatch as a
request with the signed-in user's token, so it has the route's role check, schema, use case, access log and
idempotency, with the form's idempotency key. The patient's details, for the roles that may see who a
patient is, are the enquiry as the API reads it (access-logged there too)."""
import json
from dataclasses import dataclass, field

from werkzeug.test import EnvironBuilder
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from services.gateway.adapters import docs
from services.gateway.adapters.dispatch import IDEMPOTENCY_HEADER, dispatch
from services.gateway.adapters.pages import action_forms as forms
from services.gateway.adapters.pages import actions
from services.gateway.adapters.pages.action_words import TODAY_BY_DEFAULT, code_words, label
from services.gateway.adapters.ui import FORM_KEY, STAFF_COOKIE
from services.gateway.domain.roles import NAME_READERS
from services.gateway.handlers.principals import authorise
from shared.clock import clinic_clock
from shared.errors import sentence

SEEN = "seen"            # the form's hidden count of facts on the timeline when it was rendered
REFRESHES, EVERY_SECONDS = 5, 2   # after a success, the page looks again until the new fact is there


class Api:
    """The API as the page's signed-in user calls it; reads kept for the rendering of one page."""

    def __init__(self, ui):
        self.ui, self._reads = ui, {}

    def call(self, method: str, path: str, body: dict | None = None,
             key: str | None = None) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {self.ui.request.cookies.get(STAFF_COOKIE, '')}"}
        if key is not None:
            headers[IDEMPOTENCY_HEADER] = key
        request = Request(EnvironBuilder(path="/api" + path, method=method, headers=headers, json=body,
                                         environ_base={"REMOTE_ADDR": self.ui.client}).get_environ())
        status, _headers, text = dispatch(self.ui.service, docs.URL_MAP.bind("localhost"), request,
                                          path.lstrip("/"), self.ui.service.limiter)
        return status, (json.loads(text) if text else {})

    def read(self, route_name: str, journey_id: str) -> tuple[int, dict]:
        if route_name not in self._reads:
            route = next(r for r in docs.ROUTES if r.name == route_name and r.method == "GET")
            self._reads[route_name] = self.call("GET", route.path.replace(f"<uuid:{route.patient_param}>",
                                                                          journey_id))
        return self._reads[route_name]


@dataclass
class Form:
    action: actions.Action
    inputs: list[forms.Field]
    values: dict
    errors: dict = field(default_factory=dict)
    unavailable: str | None = None   # why its choices cannot be listed just now
    status: int = 200

    def choices_of(self, name: str) -> set[str]:
        return {value for f in self.inputs if f.name == name for value, _words in f.choices}


def form_for(ui, api: Api, action: actions.Action, journey_id: str, posted=None) -> Form | None:
    """The action's form; None when the journey has nothing it could act on (no open task, say)."""
    inputs = [forms.choice_field(p, action.labels.get(p) or label(p), ()) for p in action.params]
    inputs += forms.schema_fields(action.route.body, skip=action.fixed, labels=action.labels)
    for name, (section, key) in action.configured.items():
        codes = (ui.config.get(section) or {}).get(key) or ()
        inputs = [forms.with_choices(f, [(code, code_words(code)) for code in codes])
                  if f.name == name and codes else f for f in inputs]
    unavailable = None
    for index, found in enumerate(inputs):
        if found.name not in action.choices:
            continue
        status, answer = api.read(action.choices[found.name].route, journey_id)
        if status == 404:
            return None
        if status != 200:
            unavailable = sentence(answer.get("message") or "its choices cannot be listed just now")
            continue
        picked = action.choices[found.name].pick(answer)
        if not picked:
            return None
        inputs[index] = forms.with_choices(found, picked)
    values = forms.typed(posted, inputs) if posted is not None else _defaults(ui, inputs)
    return Form(action, inputs, values, unavailable=unavailable)


def _defaults(ui, inputs: list[forms.Field]) -> dict:
    today = clinic_clock(ui.config).today().isoformat()
    return {f.name: today if f.kind == "date" and f.name.rsplit(".", 1)[-1] in TODAY_BY_DEFAULT
            else [] if f.kind == "checkboxes" else "" for f in inputs}


def submit(ui, journey_id: str, name: str) -> Response | Form:
    """Post the form of action `name`: a 303 back to the journey page once the route has accepted it; else
    the form as it was typed, with the route's messages beside their fields."""
    action = actions.named(name)
    route = action.route
    authorise(ui.principal, action.roles, route.action, journey_id=journey_id)   # before anything is read
    api = Api(ui)
    form = form_for(ui, api, action, journey_id, posted=ui.request.form)
    if form is None:
        return _refused(Form(action, [], {}), 409, "This journey has nothing of the kind left to act on.")
    if form.unavailable:
        return _refused(Form(action, [], {}), 503, form.unavailable)
    unknown = {p: "Choose one of those listed." for p in action.params
               if form.values.get(p) not in form.choices_of(p)}
    if unknown:
        return _refused(form, 422, "Please check the form.", unknown)
    body_inputs = [f for f in form.inputs if f.name not in action.params]
    body = forms.body_of(form.values, body_inputs, clinic_clock(ui.config).timezone, action.fixed) \
        if route.body else None
    path = action.path(journey_id, {p: form.values[p] for p in action.params})
    status, answer = api.call(route.method, path, body, key=ui.request.form.get(FORM_KEY))
    if status < 300:
        if route.patient_param is None:   # the route names no journey: this page says whose it was
            ui.log_access(journey_id, "ui_journey_action")
        seen = ui.request.form.get(SEEN, "")
        return redirect(f"/ui/journeys/{journey_id}?done={action.name}"
                        + (f"&{SEEN}={seen}" if _count(seen) else ""), code=303)
    if status in (401, 403):
        return ui.render("error.html", 403, status=403, title="Not allowed", message=answer.get("message"))
    errors = forms.errors_by_field(answer, form.inputs)
    return _refused(form, status, errors.pop(forms.FORM_LEVEL), errors)


def _refused(form: Form, status: int, message: str, errors: dict | None = None) -> Form:
    form.status, form.errors = status, {**(errors or {}), forms.FORM_LEVEL: message}
    return form


def page_values(ui, timeline: dict, posted: Form | None = None) -> dict:
    """What the journey page shows besides the timeline: the patient's details for the roles that may see
    who a patient is, the forms of the actions the stage allows this role, and a confirmation."""
    api, journey_id, role = Api(ui), timeline["journey_id"], ui.principal.role
    shown, away = [], []
    for action in actions.ACTIONS:
        if posted is not None and action.name == posted.action.name:
            shown.append(posted if posted.inputs else form_for(ui, api, action, journey_id) or posted)
        elif action.offered(timeline, role) and (found := form_for(ui, api, action, journey_id)):
            if found.unavailable:   # its choices cannot be listed: said, not offered
                away.append(f"{action.title}: {found.unavailable}")
            else:
                shown.append(found)
    return {"forms": shown, "away": away, **_details(api, journey_id, role), **_confirmation(ui, timeline)}


def _details(api: Api, journey_id: str, role: str) -> dict:
    if role not in NAME_READERS:
        return {"details": None, "details_note": None}
    status, enquiry = api.read(actions.ENQUIRY, journey_id)
    if status == 200:
        return {"details": enquiry, "details_note": None}
    return {"details": None, "details_note": None if status == 404 else
            "The patient's details cannot be shown just now."}


def _confirmation(ui, timeline: dict) -> dict:
    args = ui.request.args if ui.request.method == "GET" else {}
    done = actions.BY_NAME.get(args.get("done") or "")
    seen, tries = args.get(SEEN, ""), args.get("tries", "0")
    waiting = bool(done and _count(seen) and _count(tries) and timeline.get("event_count", 0) <= int(seen))
    again = (f"/ui/journeys/{timeline['journey_id']}?done={done.name}&{SEEN}={seen}&tries={int(tries) + 1}"
             if waiting and int(tries) < REFRESHES else None)
    return {"done": done, "done_waiting": waiting, "refresh": again, "refresh_seconds": EVERY_SECONDS}


def _count(text: str) -> bool:
    return text.isdigit() and len(text) <= 9
