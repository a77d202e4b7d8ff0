"""What travel makes of enquiries' answer when it asks for a passenger (no broker: a stand-in proxy)."""
import pytest
from nameko.exceptions import RemoteError, UnknownService

from services.travel.adapters.passengers import PassengerDirectory, PassengerMissing, PassengerUnavailable
from shared.errors import Conflict


class Proxy:
    def __init__(self, answer):
        self.answer = answer

    def passenger_identity(self, journey_id):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_details_enquiries_has_not_recorded_are_missing_and_named():
    error = RemoteError("Conflict", str(Conflict("not recorded", missing=["surname"])))
    with pytest.raises(PassengerMissing) as missing:
        PassengerDirectory(Proxy(error), 1).identity("j1")
    assert missing.value.missing == ["surname"]
    with pytest.raises(PassengerMissing) as unknown:
        PassengerDirectory(Proxy(RemoteError("NotFound", "no enquiry")), 1).identity("j1")
    assert unknown.value.missing == ["given_names", "surname", "date_of_birth", "nationality"]


@pytest.mark.parametrize("error", [RemoteError("OperationalError", "database down"),
                                   UnknownService("enquiries")])
def test_an_enquiries_that_fails_or_is_not_running_is_unavailable_not_missing(error):
    with pytest.raises(PassengerUnavailable):
        PassengerDirectory(Proxy(error), 1).identity("j1")
