"""Operations every service answers over RPC: its dead letters, for the gateway's administrators.

The same kernel calls as the ops CLI (shared/deadletters.py); a letter is dumped with the
operations contract, so its payload never leaves the service.
"""
from nameko.dependency_providers import Config

from shared import deadletters
from shared.consumers import rpc
from shared.contracts.api.operations import DeadLetterView
from shared.edge import dump
from shared.errors import EXPECTED, Conflict, NotFound


def letters(service: str, store, status: str | None = deadletters.PARKED) -> list[dict]:
    status = None if status in (None, "all") else status
    return [view(service, letter) for letter in deadletters.list_letters(store, status)]


def letter(service: str, store, letter_id: int) -> dict:
    found = deadletters.get_letter(store, int(letter_id))
    if found is None:
        raise NotFound(f"no dead letter {letter_id} in {service}", service=service, id=letter_id)
    return view(service, found)


def replay(service: str, store, amqp_uri: str, letter_id: int) -> dict:
    try:
        return view(service, deadletters.replay(store, amqp_uri, int(letter_id)))
    except LookupError:
        raise NotFound(f"no dead letter {letter_id} in {service}", service=service, id=letter_id) from None
    except ValueError as exc:
        raise Conflict(str(exc), service=service, id=letter_id) from None


def discard(service: str, store, letter_id: int) -> dict:
    current = letter(service, store, letter_id)
    if not deadletters.resolve(store, int(letter_id), deadletters.DISCARDED):
        raise Conflict(f"dead letter {letter_id} is {current['status']}, not parked",
                       service=service, id=letter_id)
    return letter(service, store, letter_id)


def view(service: str, found: dict) -> dict:
    return dump(DeadLetterView, dict(deadletters.envelope(found), service=service))


class DeadLetterEndpoints:
    """Mixin (through HealthEndpoints): list, show, replay and discard this service's dead letters.

    The service must have a `uow` Database dependency.
    """

    config = Config()

    @rpc
    def dead_letters(self, status=deadletters.PARKED):
        """This service's dead letters with the status ("all": every one), oldest first."""
        return letters(self.name, self.uow._store, status)

    @rpc(expected_exceptions=EXPECTED)
    def dead_letter(self, letter_id):
        """One dead letter: its envelope and error (NotFound if there is none)."""
        return letter(self.name, self.uow._store, letter_id)

    @rpc(expected_exceptions=EXPECTED)
    def replay_dead_letter(self, letter_id):
        """Put a parked letter's message back on its handler's queue (Conflict if not parked)."""
        return replay(self.name, self.uow._store, self.config["AMQP_URI"], letter_id)

    @rpc(expected_exceptions=EXPECTED)
    def discard_dead_letter(self, letter_id):
        """Mark a parked letter discarded: it is not replayed (Conflict if not parked)."""
        return discard(self.name, self.uow._store, letter_id)
