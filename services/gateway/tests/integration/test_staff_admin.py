"""Staff administration over HTTP, on the real broker and PostgreSQL (one gateway per module): users made,
changed and disabled by an administrator through the API and the pages, their own password, and sign-in
guessing met with one answer and a growing wait. Each client connects from a loopback address of its own
(the per-address sign-in allowance is tested on its own)."""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import eventlet
import pytest
from sqlalchemy import select

from services.enquiries.tests.integration.helpers import Client
from services.gateway import models
from services.gateway.adapters.routes.staff import LOGIN_LIMIT
from services.gateway.domain.roles import ADMIN, STAFF_ROLES
from services.gateway.handlers.accounts import create_user
from services.gateway.models import AccessLogEntry
from services.gateway.service import GatewayService
from services.gateway.tests.browser import CHROMIUM
from shared.config import ROOT
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import Cluster, service_config, web_url
from shared.testing.infra import temp_pg_database, temp_vhost

PASSWORD = "a long enough test password"
ONE_TIME = "handed over once 4711"
FIELDS = re.compile(r'name="(csrf_token|idempotency_key)" value="([^"]+)"')


class Gateway:
    def __init__(self, base: str, store: Store):
        self.base, self.store = base, store

    def client(self) -> Client:
        return Client(self.base)

    def sign_in(self, username: str, password: str = PASSWORD):
        return self.client().post("/api/auth/token", json={"username": username, "password": password})

    def token(self, username: str, password: str = PASSWORD) -> dict:
        answer = self.sign_in(username, password)
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def browser(self, username: str, password: str = PASSWORD) -> Client:
        """A browser signed in through the sign-in page."""
        browser = self.client()
        form = dict(FIELDS.findall(browser.get("/ui/login").text))
        answer = browser.post("/ui/login", data={**form, "username": username, "password": password,
                                                 "next": "/ui/account/password"}, allow_redirects=False)
        assert answer.status_code == 303, answer.text
        return browser

    def new_user(self, role: str = "planner", **changes) -> dict:
        """A user an administrator made through the API, with a one-time password."""
        body = {"username": f"u{uuid.uuid4().hex[:8]}", "password": ONE_TIME, "role": role, **changes}
        made = self.client().post("/api/users", json=body, headers=self.token(ADMIN))
        assert made.status_code == 201, made.text
        return made.json()

    def me(self, headers: dict) -> int:
        return self.client().get("/api/me", headers=headers).status_code

    def logged(self, *where) -> list[AccessLogEntry]:
        with self.store.session() as session:
            rows = list(session.scalars(select(AccessLogEntry).where(*where).order_by(AccessLogEntry.id)))
            session.expunge_all()
            return rows


def form_of(browser: Client, page: str) -> dict:
    """The CSRF token and idempotency key the page's forms were rendered with."""
    fields = dict(FIELDS.findall(browser.get(page).text))
    assert set(fields) == {"csrf_token", "idempotency_key"}, page
    return fields


@pytest.fixture(scope="module")
def gateway():
    with temp_vhost() as amqp_uri, temp_pg_database() as url:
        upgrade("gateway", url)
        store = Store(url, models.kernel)
        with store.session() as session:
            for role in STAFF_ROLES:
                create_user(session, role, PASSWORD, role)
        config = service_config(amqp_uri, {"gateway": url})
        cluster = Cluster(amqp_uri)
        try:
            cluster.start(GatewayService, config)
            yield Gateway(web_url(config), store)
        finally:
            cluster.stop_all()
            store.dispose()


def test_a_user_an_administrator_creates_must_choose_their_own_password_before_anything_else(gateway):
    user = gateway.new_user(role=ADMIN)
    assert user["must_change_password"] is True and user["active"] is True
    signed = gateway.sign_in(user["username"], ONE_TIME)
    assert signed.status_code == 200 and signed.json()["must_change_password"] is True
    first = {"Authorization": f"Bearer {signed.json()['access_token']}"}
    refused = gateway.client().get("/api/users", headers=first)
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("Your password was set for one use only; choose your own")
    browser = gateway.browser(user["username"], ONE_TIME)
    assert browser.get("/ui/admin/users").status_code == 403
    assert "Choose your own to go on." in browser.get("/ui/account/password").text
    weak = gateway.client().post("/api/me/password", headers=first,
                                 json={"current_password": ONE_TIME, "new_password": "aaaaaaaaaaaaaaa"})
    assert weak.status_code == 422 and weak.json()["message"] == \
        "A password must have at least 5 different characters."
    changed = gateway.client().post("/api/me/password", headers=first,
                                    json={"current_password": ONE_TIME, "new_password": PASSWORD})
    assert changed.status_code == 204
    assert gateway.me(first) == 401   # every token issued before the change
    again = gateway.token(user["username"])
    assert gateway.client().get("/api/users", headers=again).status_code == 200
    assert gateway.sign_in(user["username"], ONE_TIME).status_code == 401


def test_disabling_a_user_on_the_page_ends_their_token_and_page_session_at_once(gateway):
    user = gateway.new_user()
    token = gateway.token(user["username"], ONE_TIME)
    their_browser = gateway.browser(user["username"], ONE_TIME)
    assert gateway.me(token) == 200 and their_browser.get("/ui/account/password").status_code == 200
    admin = gateway.browser(ADMIN)
    sent = admin.post(f"/ui/admin/users/{user['id']}/active",
                      data={**form_of(admin, "/ui/admin/users"), "active": "false"}, allow_redirects=False)
    assert sent.status_code == 303 and sent.headers["Location"] == f"/ui/admin/users?disabled={user['id']}"
    assert gateway.me(token) == 401
    assert their_browser.get("/ui/account/password", allow_redirects=False).status_code == 303
    assert "disabled. Every sign-in of theirs has ended." in admin.get(sent.headers["Location"]).text
    refused = gateway.sign_in(user["username"], ONE_TIME)
    assert (refused.status_code, refused.json()["message"]) == (401, "Wrong username or password.")
    enabled = admin.post(f"/ui/admin/users/{user['id']}/active",
                         data={**form_of(admin, "/ui/admin/users"), "active": "true"}, allow_redirects=False)
    assert enabled.status_code == 303
    assert gateway.me(token) == 401   # enabled again, they sign in anew
    assert gateway.sign_in(user["username"], ONE_TIME).status_code == 200


def test_a_role_changed_on_the_page_refuses_the_tokens_of_the_old_role(gateway):
    user = gateway.new_user(role="planner")
    old = gateway.token(user["username"], ONE_TIME)
    admin = gateway.browser(ADMIN)
    sent = admin.post(f"/ui/admin/users/{user['id']}/role",
                      data={**form_of(admin, "/ui/admin/users"), "role": "finance"}, allow_redirects=False)
    assert sent.status_code == 303
    assert gateway.me(old) == 401
    assert gateway.sign_in(user["username"], ONE_TIME).json()["role"] == "finance"
    unknown = admin.post(f"/ui/admin/users/{user['id']}/role",
                         data={**form_of(admin, "/ui/admin/users"), "role": "surgeon"})
    assert unknown.status_code == 422 and "Unknown role &#39;surgeon&#39;." in unknown.text
    missing = admin.post("/ui/admin/users/999999/role", data={**form_of(admin, "/ui/admin/users"),
                                                             "role": "finance"})
    assert missing.status_code == 404


def test_the_last_administrator_stays_and_no_administrator_disables_themselves(gateway):
    admin = gateway.token(ADMIN)
    me = next(u for u in gateway.client().get("/api/users", headers=admin).json() if u["username"] == ADMIN)
    others = [u for u in gateway.client().get("/api/users", headers=admin).json()
              if u["role"] == ADMIN and u["active"] and u["id"] != me["id"]]
    for other in others:   # this module's earlier tests may have made one
        gateway.client().post(f"/api/users/{other['id']}/disable", headers=admin)
    own = gateway.client().post(f"/api/users/{me['id']}/disable", headers=admin)
    assert (own.status_code, own.json()["message"]) == (409, "You cannot disable your own account.")
    demoted = gateway.client().put(f"/api/users/{me['id']}/role", headers=admin, json={"role": "planner"})
    assert (demoted.status_code, demoted.json()["message"]) == \
        (409, "This is the last active administrator; make another user an administrator first.")
    browser = gateway.browser(ADMIN)
    page = browser.post(f"/ui/admin/users/{me['id']}/role",
                        data={**form_of(browser, "/ui/admin/users"), "role": "planner"})
    assert page.status_code == 409 and "This is the last active administrator" in page.text
    assert gateway.me(admin) == 200   # nothing changed
    second = gateway.new_user(role=ADMIN)
    assert gateway.client().put(f"/api/users/{second['id']}/role", headers=admin,
                                json={"role": "planner"}).json()["role"] == "planner"


def test_a_password_changed_on_the_page_ends_the_other_sessions_and_keeps_this_one(gateway):
    user = gateway.new_user()
    elsewhere = gateway.token(user["username"], ONE_TIME)
    browser = gateway.browser(user["username"], ONE_TIME)

    def send(current, new, again):
        return browser.post("/ui/account/password", data={
            **form_of(browser, "/ui/account/password"), "current_password": current, "new_password": new,
            "new_password_again": again}, allow_redirects=False)
    differ = send(ONE_TIME, PASSWORD, PASSWORD + "!")
    assert differ.status_code == 422 and "The two new passwords differ." in differ.text
    short = send(ONE_TIME, "short one", "short one")
    assert short.status_code == 422 and "A password must have at least 12 characters." in short.text
    wrong = send("not the password", PASSWORD, PASSWORD)
    assert wrong.status_code == 422 and "The current password is not right." in wrong.text
    assert gateway.me(elsewhere) == 200   # nothing changed yet
    done = send(ONE_TIME, PASSWORD, PASSWORD)
    assert done.status_code == 303 and done.headers["Location"] == "/ui/account/password?changed=1"
    assert "Your password is changed." in browser.get(done.headers["Location"]).text   # this session goes on
    assert gateway.me(elsewhere) == 401
    assert gateway.sign_in(user["username"], ONE_TIME).status_code == 401
    assert gateway.sign_in(user["username"]).json()["must_change_password"] is False
    passwords = gateway.logged(AccessLogEntry.detail.contains("password"))
    assert all(ONE_TIME not in (e.detail or "") + e.path for e in passwords)


def test_an_unknown_user_and_a_wrong_password_get_the_same_answers_the_same_wait_and_time(gateway):
    known = gateway.new_user()

    def attempts(username):
        client, seen = gateway.client(), []
        for _ in range(7):
            started = time.perf_counter()
            answer = client.post("/api/auth/token", json={"username": username, "password": "a wrong guess"})
            seen.append(((answer.status_code, answer.json()["message"], answer.headers.get("Retry-After")),
                         time.perf_counter() - started))
        return seen
    wrong = attempts(known["username"])
    right = gateway.sign_in(known["username"], ONE_TIME)   # the right password waits too (2 s)
    unknown = attempts(f"nobody{uuid.uuid4().hex[:6]}")
    assert [a for a, _ in wrong] == [a for a, _ in unknown] == \
        [(401, "Wrong username or password.", None)] * 6 + \
        [(429, "Too many failed sign-ins for this account; try again later.", "2")]
    ratio = statistics.median(t for _, t in unknown[:6]) / statistics.median(t for _, t in wrong[:6])
    assert 0.5 < ratio < 2.0, ratio   # the unknown user's dummy hash costs what a real one does
    assert right.status_code == 429
    # Every attempt is in the access log, with the account when there is one; never what was typed.
    logged = gateway.logged(AccessLogEntry.action == "sign_in",
                            AccessLogEntry.actor == f"staff:{known['id']}")
    assert [(e.status, e.detail) for e in logged] == [(401, "wrong password")] * 6 + \
        [(429, "waiting after failed sign-ins")] * 2
    assert all(e.path == "/api/auth/token" and e.journey_id is None for e in logged)
    everything = json.dumps([[e.actor, e.detail, e.path] for e in gateway.logged()])
    assert "a wrong guess" not in everything and ONE_TIME not in everything and "nobody" not in everything


def test_sign_ins_from_one_address_are_limited_whatever_the_usernames(gateway):
    client, allowed = gateway.client(), LOGIN_LIMIT[0]
    answers = []
    while 429 not in answers and len(answers) < allowed + 3:   # the allowance refills while we guess
        answers.append(client.post("/api/auth/token", json={"username": f"guess{len(answers)}",
                                                            "password": "x"}).status_code)
    assert answers[:allowed] == [401] * allowed and answers[-1] == 429, answers
    held = client.post("/api/auth/token", json={"username": ADMIN, "password": PASSWORD})
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1   # the right password too
    assert gateway.sign_in(ADMIN).status_code == 200   # another address is not held up


def test_a_double_submitted_create_form_makes_one_user(gateway):
    admin, name = gateway.browser(ADMIN), f"twice{uuid.uuid4().hex[:6]}"
    data = {**form_of(admin, "/ui/admin/users"), "username": name, "password": ONE_TIME,
            "role": "travel_desk"}
    clicks = [eventlet.spawn(admin.post, "/ui/admin/users", data=data, allow_redirects=False)
              for _ in range(2)]
    answers = [click.wait() for click in clicks]
    assert {(a.status_code, a.headers["Location"].split("=")[0]) for a in answers} == \
        {(303, "/ui/admin/users?created")}
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    later = admin.post("/ui/admin/users", data=data, allow_redirects=False)   # a third click, once done
    assert later.headers["Idempotent-Replayed"] == "true"
    users = gateway.client().get("/api/users", headers=gateway.token(ADMIN)).json()
    assert [u["role"] for u in users if u["username"] == name] == ["travel_desk"]
    page = admin.get(answers[0].headers["Location"]).text
    assert f"{name}: created." in page
    fresh = admin.post("/ui/admin/users", data={**form_of(admin, "/ui/admin/users"), "username": name,
                                                "password": ONE_TIME, "role": "planner"})
    assert fresh.status_code == 409 and f"User &#39;{name}&#39; exists." in fresh.text


@pytest.mark.parametrize("role", [r for r in STAFF_ROLES if r != ADMIN])
def test_every_other_role_is_refused_every_administration_route_and_page(gateway, role):
    headers, client = gateway.token(role), gateway.client()
    new = {"username": "x" + role, "password": ONE_TIME, "role": ADMIN}
    routes = [("GET", "/api/users", None), ("POST", "/api/users", new),
              ("POST", "/api/users/1/disable", None), ("POST", "/api/users/1/enable", None),
              ("PUT", "/api/users/1/role", {"role": ADMIN})]
    for method, path, body in routes:
        assert client.request(method, path, headers=headers, json=body).status_code == 403, path
    browser = gateway.browser(role)
    form = form_of(browser, "/ui/account/password")   # their own password page is theirs
    assert browser.get("/ui/admin/users").status_code == 403
    for path, data in [("/ui/admin/users", new), ("/ui/admin/users/1/role", {"role": ADMIN}),
                       ("/ui/admin/users/1/active", {"active": "false"})]:
        assert browser.post(path, data={**form, **data}).status_code == 403, path
    assert "Staff users" not in browser.get("/ui/account/password").text
    denied = gateway.logged(AccessLogEntry.role == role, AccessLogEntry.outcome == "denied")
    assert {"list_users", "create_user", "ui_users", "ui_create_user", "ui_set_active"} <= \
        {e.action for e in denied}


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (apt-get install -y chromium)")
def test_the_users_page_reads_at_desktop_and_phone_width(gateway):
    gateway.new_user(role="physiotherapist")
    folder = ROOT / "var" / "screenshots" / "staff"
    run = subprocess.run([sys.executable, "-m", "services.gateway.tests.admin_browser", gateway.base, ADMIN,
                          PASSWORD, str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    for size, seen in json.loads(run.stdout).items():
        assert seen["overflow"] <= 0 and seen["unlabelled"] == [], (size, seen)
        assert seen["users"] >= len(STAFF_ROLES) and seen["heading"] == "Staff users", (size, seen)
    assert (folder / "admin-users.png").stat().st_size > 10_000
    assert (folder / "admin-users-phone.png").stat().st_size > 10_000
