"""Which events the journey listens to: every contract in shared/contracts.

service.py names one handler for each pair `consumed()` lists (a unit test
checks they agree, so a new contract without its handler fails the build).
A contract's producer is the module it is declared in (shared/contracts/
payments.py holds what `payments` publishes). `erasure_confirmed` is the
exception: every service answers an erasure request with one, on its own
exchange.
"""
from shared import events

ERASURE_CONFIRMED = "erasure_confirmed"


def contracts() -> dict[str, str]:
    """{event type: producer} for every registered contract."""
    return events.contract_producers()


def producers() -> list[str]:
    return sorted(set(contracts().values()))


def consumed() -> list[tuple[str, str]]:
    """(producer, event type) pairs, one handler each."""
    pairs = {(producer, event_type) for event_type, producer in contracts().items()
             if event_type != ERASURE_CONFIRMED}
    pairs |= {(producer, ERASURE_CONFIRMED) for producer in producers()}
    return sorted(pairs)
