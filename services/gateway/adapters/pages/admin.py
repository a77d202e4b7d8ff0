"""Staff administration pages: the staff users (administrators only) and everyone's own password.

They load with the API's own schemas (adapters/routes/staff.py) and call the same use cases
(handlers/accounts.py); every form carries the page's CSRF token and an idempotency key, so a double
click creates one user. A refused change is the page again with the sentence beside the form.
"""
from werkzeug.utils import redirect

from services.gateway.adapters.errors import classify
from services.gateway.adapters.routes.staff import NewStaffUser, PasswordChange
from services.gateway.adapters.ui import STAFF_COOKIE, page
from services.gateway.domain.credentials import MIN_DISTINCT, MIN_PASSWORD
from services.gateway.domain.roles import ADMIN, ALL_STAFF, STAFF_ROLES
from services.gateway.handlers import accounts, sign_in
from shared.edge import load
from shared.errors import Conflict, Invalid, TooManyRequests
from shared.i18n import N_

USERS, PASSWORD = "/ui/admin/users", "/ui/account/password"
REFUSED = (Invalid, Conflict, TooManyRequests)   # shown beside the form; anything else is the error page
RULE = {"length": MIN_PASSWORD, "distinct": MIN_DISTINCT}
DONE = {"created": "{name}: created. Give them the one-time password another way than email; they choose "
                   "their own when they first sign in.",
        "changed": "{name}: now {role}. Their earlier sign-ins have ended.",
        "disabled": "{name}: disabled. Every sign-in of theirs has ended.",
        "enabled": "{name}: enabled again. They sign in anew."}


@page("admin/users", roles=ADMIN, action=N_("list staff users"))
def users(ui):
    return _users(ui, done=_done(ui))


@page("admin/users", roles=ADMIN, action=N_("create a staff user"), methods=("POST",))
def create_user(ui):
    form = ui.request.form
    sent = {"username": form.get("username", "").strip(), "password": form.get("password", ""),
            "role": form.get("role", "")}
    try:
        created = accounts.add_user(ui.service.uow, load(NewStaffUser, sent))
    except REFUSED as exc:
        return _users(ui, exc, sent={"username": sent["username"][:100], "role": sent["role"][:40]})
    return redirect(f"{USERS}?created={created['id']}", code=303)


@page("admin/users/<int:user_id>/role", roles=ADMIN, action=N_("change a staff user's role"),
      methods=("POST",))
def change_role(ui, user_id):
    try:
        accounts.change_role(ui.service.uow, user_id, ui.request.form.get("role", "")[:40])
    except REFUSED as exc:
        return _users(ui, exc)
    return redirect(f"{USERS}?changed={user_id}", code=303)


@page("admin/users/<int:user_id>/active", roles=ADMIN, action=N_("disable or enable a staff user"),
      methods=("POST",))
def set_active(ui, user_id):
    wanted = ui.request.form.get("active", "")
    try:
        if wanted not in ("true", "false"):
            raise Invalid("say whether the user is to be active (true) or disabled (false)")
        accounts.set_active(ui.service.uow, user_id, wanted == "true", ui.principal.subject)
    except REFUSED as exc:
        return _users(ui, exc)
    return redirect(f"{USERS}?{'enabled' if wanted == 'true' else 'disabled'}={user_id}", code=303)


@page("account/password", roles=ALL_STAFF, action=N_("change a staff password"))
def password_form(ui):
    return _password(ui, changed=ui.request.args.get("changed") == "1")


@page("account/password", roles=ALL_STAFF, action=N_("change a staff password"), methods=("POST",))
def change_password(ui):
    """Every token of the user issued before stops working; this browser is signed in again."""
    form = ui.request.form
    try:
        if form.get("new_password", "") != form.get("new_password_again", ""):
            raise Invalid("the two new passwords differ", fields={"new_password_again": ["not the same"]})
        sent = load(PasswordChange, {"current_password": form.get("current_password", ""),
                                     "new_password": form.get("new_password", "")})
        changed = accounts.change_password(ui.service.uow, int(ui.principal.subject.split(":", 1)[1]),
                                           sent["current_password"], sent["new_password"])
    except REFUSED as exc:
        return _password(ui, exc)
    auth = ui.config["AUTH"]
    token = sign_in.staff_token(auth, changed["id"], changed["role"], changed["token_version"], False)
    return ui.set_cookie(redirect(f"{PASSWORD}?changed=1", code=303), STAFF_COOKIE, token["access_token"],
                         token["expires_in"])


def _users(ui, exc: Exception | None = None, *, sent: dict | None = None, done: tuple | None = None):
    failure = classify(exc) if exc else None
    listed = accounts.list_users(ui.service.uow)
    notice = next((DONE[done[0]].format(name=u["username"], role=u["role"].replace("_", " "))
                   for u in listed if done and u["id"] == done[1]), None)
    return ui.render("admin_users.html", failure.status if failure else 200, users=listed, roles=STAFF_ROLES,
                     me=ui.principal.subject, sent=sent or {"role": ""}, rule=RULE, notice=notice,
                     error=failure.message if failure else None)


def _done(ui) -> tuple | None:
    """What the last change was (from the address it redirected to): (what, user id)."""
    for what in DONE:
        value = ui.request.args.get(what, "")
        if value.isdigit() and len(value) <= 12:
            return what, int(value)
    return None


def _password(ui, exc: Exception | None = None, *, changed: bool = False):
    failure = classify(exc) if exc else None
    response = ui.render("admin_password.html", failure.status if failure else 200, changed=changed,
                         rule=RULE, error=failure.message if failure else None,
                         problems=failure.details.get("fields", {}) if failure else {})
    response.headers.update(failure.headers if failure else {})
    return response
