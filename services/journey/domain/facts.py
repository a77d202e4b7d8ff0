"""Facts as the journey sees them, and the one order they are read in."""
import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Fact:
    """One event of a journey: payload loaded (dates are dates), ids and facts only."""
    event_id: str
    type: str
    producer: str
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    causation_id: str | None = None
    actor: str | None = None


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def causal_order(facts: Iterable[Fact]) -> list[Fact]:
    """Each fact once, by time, but never before the fact that caused it.

    Producers' clocks differ, so an effect may carry an earlier timestamp
    than its cause; it still comes after it. Ties are broken by event id so
    the order is the same however the facts arrived.
    """
    unique = {fact.event_id: fact for fact in facts}
    children: dict[str, list[Fact]] = defaultdict(list)
    heap: list[tuple[datetime, str]] = []
    for fact in unique.values():
        if fact.causation_id in unique and fact.causation_id != fact.event_id:
            children[fact.causation_id].append(fact)
        else:
            heap.append((aware(fact.occurred_at), fact.event_id))
    heapq.heapify(heap)
    ordered: list[Fact] = []
    while heap:
        _, event_id = heapq.heappop(heap)
        ordered.append(unique[event_id])
        for child in children.pop(event_id, ()):
            heapq.heappush(heap, (aware(child.occurred_at), child.event_id))
    placed = {fact.event_id for fact in ordered}
    # Only a causation cycle (impossible with fresh ids) leaves facts unplaced; keep them anyway.
    ordered += sorted((f for f in unique.values() if f.event_id not in placed),
                      key=lambda f: (aware(f.occurred_at), f.event_id))
    return ordered
