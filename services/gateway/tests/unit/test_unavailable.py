"""A dependency that is down (an image archive, a payment provider) is a 503 the caller may retry."""
from nameko.exceptions import RemoteError

from services.gateway.adapters.errors import error_response
from shared.errors import Unavailable


def test_a_service_whose_dependency_is_down_answers_503_with_retry_after_and_a_sentence():
    raised = Unavailable("the image archive cannot be reached just now; try again", retry_after_seconds=20)
    remote = RemoteError("Unavailable", str(raised))   # as it crosses RPC
    for exc in (raised, remote):
        status, headers, body = error_response(exc)
        assert (status, headers["Retry-After"]) == (503, "20")
        assert '"error": "unavailable"' in body and "The image archive cannot be reached just now" in body


def test_unavailable_asks_the_caller_to_wait_half_a_minute_unless_told_otherwise():
    status, headers, _ = error_response(Unavailable("the payment provider cannot be reached"))
    assert (status, headers["Retry-After"]) == (503, "30")
