"""The portal's language switch leads to the same page in another language, its own query kept."""
from urllib.parse import parse_qs, urlparse

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.adapters.portal import _with_language


def _request(query: str) -> Request:
    return Request(EnvironBuilder(path="/p/pay/deposit/return", query_string=query).get_environ())


def test_the_switch_keeps_the_pages_own_query_and_replaces_the_language():
    href = _with_language(_request("session=cs_123&lang=en"), "nl")
    assert href.startswith("?") and parse_qs(urlparse(href).query) == {"session": ["cs_123"], "lang": ["nl"]}


def test_a_page_without_a_query_gets_only_the_language():
    assert _with_language(_request(""), "de") == "?lang=de"
