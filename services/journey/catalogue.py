"""Which events the journey listens to: every contract in shared/contracts.

A contract's producer is the module it is declared in (shared/contracts/
payments.py holds what `payments` publishes). `erasure_confirmed` is the
exception: every service answers an erasure request with one, on its own
exchange.
"""
from shared import events

ERASURE_REQUESTED = "erasure_requested"
ERASURE_CONFIRMED = "erasure_confirmed"


def contracts() -> dict[str, str]:
    """{event type: producer} for every registered contract (latest version wins nothing: types only)."""
    events._load_contracts()
    prefix = "shared.contracts."
    return {event_type: schema.__module__.removeprefix(prefix)
            for (event_type, _version), schema in sorted(events._contracts.items())
            if schema.__module__.startswith(prefix)}


def producers() -> list[str]:
    return sorted(set(contracts().values()))


def consumed() -> list[tuple[str, str]]:
    """(producer, event type) pairs, one handler each."""
    pairs = {(producer, event_type) for event_type, producer in contracts().items()
             if event_type != ERASURE_CONFIRMED}
    pairs |= {(producer, ERASURE_CONFIRMED) for producer in producers()}
    return sorted(pairs)
