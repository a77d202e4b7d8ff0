"""Helpers for tests of the pages and of patient links: a signed-in browser session, CSRF tokens."""
import re

import requests

from services.gateway.tests.conftest import PASSWORD

_TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_token(browser: requests.Session, url: str) -> str:
    """The CSRF token of the form on the page at `url` (the visit also sets the CSRF cookie)."""
    page = browser.get(url)
    found = _TOKEN.search(page.text)
    assert found, f"no form with a CSRF token at {url}: {page.status_code}"
    return found.group(1)


def signed_in(base: str, role: str, *, next_page: str = "https://elsewhere.example/") -> requests.Session:
    """A browser session signed in through the sign-in form (username = role)."""
    browser = requests.Session()
    token = csrf_token(browser, f"{base}/ui/login")
    form = {"username": role, "password": PASSWORD, "next": next_page, "csrf_token": token}
    response = browser.post(f"{base}/ui/login", data=form, allow_redirects=False)
    assert response.status_code == 303 and response.headers["Location"] == "/ui/work", response.text
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    return browser


def post_form(browser: requests.Session, base: str, page: str, action: str, data: dict | None = None,
              **options) -> requests.Response:
    """Submit the form of `page` to `action` as the browser would, CSRF token included."""
    token = csrf_token(browser, f"{base}{page}")
    return browser.post(f"{base}{action}", data={**(data or {}), "csrf_token": token}, **options)


def patient_link(base: str, staff_headers: dict, journey: str, valid_days: int = 7) -> str:
    """A personal link's token, issued by staff through the API (recorded, revocable)."""
    response = requests.post(f"{base}/api/journeys/{journey}/patient-link", json={"valid_days": valid_days},
                             headers=staff_headers)
    assert response.status_code == 201, response.text
    return response.json()["token"]
