"""Facts for unit tests, from the story's events."""
from services.journey.domain.facts import Fact
from shared.events import Event


def fact(event: Event) -> Fact:
    return Fact(event.event_id, event.type, event.producer, event.occurred_at, event.payload,
                event.causation_id)
