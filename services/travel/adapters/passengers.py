"""The passenger's identity, asked of enquiries (the stage that owns it) at booking time.

Travel keeps no one's passport name, date of birth or nationality: the sender
asks for them right before it sends a booking to the agency and forgets them
once the request is sent. Never through an event.
"""
import eventlet
from nameko.exceptions import RemoteError, UnknownService
from nameko.rpc import RpcProxy

from services.travel.settings import parse
from shared.errors import parse_message

FIELDS = ("given_names", "surname", "date_of_birth", "nationality")


class PassengerMissing(Exception):
    """Enquiries has no complete passenger identity for the journey (the desk must record it)."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing   # field names: given_names, surname, date_of_birth, nationality


class PassengerUnavailable(Exception):
    """Enquiries did not answer (in time): try again later."""


class PassengerDirectory:
    def __init__(self, proxy, timeout: float):
        self.proxy, self.timeout = proxy, timeout

    def identity(self, journey_id: str) -> dict:
        """given_names, surname, date_of_birth (ISO), nationality (ISO 3166-1 alpha-2)."""
        try:
            with eventlet.Timeout(self.timeout, PassengerUnavailable("enquiries did not answer in time")):
                return self.proxy.passenger_identity(journey_id)
        except RemoteError as exc:
            if exc.exc_type in ("NotFound", "Conflict"):
                missing = parse_message(exc.value).get("missing")
                raise PassengerMissing(missing if isinstance(missing, list) else list(FIELDS)) from None
            raise PassengerUnavailable(exc.exc_type) from None
        except UnknownService:
            raise PassengerUnavailable("enquiries is not running") from None


class Passengers(RpcProxy):
    """Injects a PassengerDirectory over RPC to enquiries (TRAVEL.enquiries_timeout_seconds)."""

    def __init__(self, **options):
        super().__init__("enquiries", **options)

    def setup(self):
        super().setup()
        self.timeout = parse(self.container.config).enquiries_timeout_seconds

    def get_dependency(self, worker_ctx):
        return PassengerDirectory(super().get_dependency(worker_ctx), self.timeout)
