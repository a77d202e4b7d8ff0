"""Whom a request counts for: X-Forwarded-For is believed only from a trusted proxy, read from the right."""
import pytest

from services.gateway.adapters.client_address import parse_networks, resolve
from services.gateway.domain import throttle

PROXIES = parse_networks("10.0.0.0/8, 192.0.2.1")


def test_without_trusted_proxies_the_connecting_address_is_the_client_whatever_the_header_says():
    assert resolve("198.51.100.4", ["203.0.113.9"], ()) == "198.51.100.4"
    assert resolve("198.51.100.4", ["203.0.113.9"], PROXIES) == "198.51.100.4"


def test_behind_trusted_proxies_the_rightmost_untrusted_address_is_the_client():
    assert resolve("10.1.2.3", ["203.0.113.9"], PROXIES) == "203.0.113.9"
    assert resolve("10.1.2.3", ["6.6.6.6, 203.0.113.9, 192.0.2.1"], PROXIES) == "203.0.113.9"
    assert resolve("10.1.2.3", ["6.6.6.6", "203.0.113.9:5120"], PROXIES) == "203.0.113.9"
    assert resolve("10.1.2.3", ["[2001:db8::5]:443"], PROXIES) == "2001:db8::5"


def test_a_header_only_of_proxies_or_of_garbage_leaves_the_last_trusted_hop():
    assert resolve("10.1.2.3", [], PROXIES) == "10.1.2.3"
    assert resolve("10.1.2.3", ["192.0.2.1"], PROXIES) == "192.0.2.1"
    assert resolve("10.1.2.3", ["not-an-address"], PROXIES) == "10.1.2.3"


def test_a_trusted_proxy_that_is_not_an_address_stops_the_gateway_at_start():
    with pytest.raises(ValueError, match="proxy.example"):
        parse_networks("10.0.0.0/8,proxy.example")
    assert parse_networks(None) == () and len(parse_networks(["127.0.0.1", "::1"])) == 2


def test_a_limit_lets_its_requests_through_at_once_then_one_each_spacing():
    full_at, now = None, 1_000_000.0
    for _ in range(10):
        full_at = throttle.taken(full_at, now, 10, 60.0)
        assert full_at is not None
    assert throttle.taken(full_at, now, 10, 60.0) is None
    assert throttle.wait_for(full_at, now, 10, 60.0) == pytest.approx(6.0)
    assert throttle.taken(full_at, now + 6.0, 10, 60.0) is not None
