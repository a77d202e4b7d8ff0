"""The pages' cookies are HttpOnly and SameSite, and Secure whenever browsers reach the gateway over TLS:
directly, behind a proxy that says so, or at a public address that is https."""
from types import SimpleNamespace

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from services.gateway.adapters.ui import PATIENT_COOKIE, UI


def _cookie(public_url: str, path: str = "/p/journey", **headers) -> str:
    service = SimpleNamespace(config={"GATEWAY": {"public_url": public_url}, "AUTH": {"token_secret": "s"}})
    request = Request(EnvironBuilder(path=path, headers=headers).get_environ())
    response = UI(service, request).set_cookie(Response(), PATIENT_COOKIE, "token", 60)
    return response.headers["Set-Cookie"]


def test_a_cookie_over_plain_http_on_a_plain_address_is_not_secure_but_http_only_and_strict():
    cookie = _cookie("http://127.0.0.1:8000")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/p" in cookie
    assert "Secure" not in cookie


def test_a_cookie_behind_a_tls_proxy_or_for_an_https_public_address_is_secure():
    assert "Secure" in _cookie("http://127.0.0.1:8000", **{"X-Forwarded-Proto": "https"})
    assert "Secure" in _cookie("https://portal.clinic.example")
    staff = _cookie("https://portal.clinic.example", path="/ui/board")
    assert "Secure" in staff and "Path=/ui" in staff
