"""After the faults: read every service's database and both sandboxes, and list what is wrong.

Each journey was driven to a confirmed itinerary, so each must show exactly the
facts of that path, each delivered to every consumer, and each effect once.
"""
import inspect
from collections import Counter, defaultdict

import requests
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from sqlalchemy import create_engine, text

from ops.run import service_classes
from shared.handlers import ReliableEventHandler

# What each journey announces on its way to a confirmed itinerary, by producer: exactly this
# many of each (fewer is a lost effect, more a duplicated one).
EXPECTED_EVENTS = {
    "enquiries": {"enquiry_received": 1, "prescreen_decided": 1, "screening_step_completed": 5,
                  "screening_appointment_planned": 3, "patient_accepted": 1},
    "payments": {"invoice_issued": 1, "deposit_paid": 1, "balance_due_dated": 1},
    "surgery": {"surgery_scheduled": 1},
    "travel": {"itinerary_requested": 1, "itinerary_confirmed": 1},
}
PARTS = {"outbound", "hotel_preop", "hotel_stay", "return"}


def subscriptions() -> list[tuple[str, str, str, str]]:
    """(producer, event type, consuming service, consumer name) for every reliable handler."""
    found = []
    for spec, cls in service_classes():
        for method_name, method in inspect.getmembers(cls, inspect.isfunction):
            for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
                if isinstance(entrypoint, ReliableEventHandler):
                    found.append((entrypoint.source_service, entrypoint.event_type, spec.name,
                                  f"{cls.name}.{method_name}"))
    return found


def query(databases: dict[str, str], service: str, sql: str, **params) -> list:
    engine = create_engine(databases[service])
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def by_journey(rows) -> dict[str, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def problems(running, journeys: list[str]) -> list[str]:
    """Everything that differs from exactly-once along the path; empty when all is well."""
    ours = set(journeys)
    found = []
    found += _events(running.databases, ours)
    found += _payments(running, ours)
    found += _surgery(running.databases, ours)
    found += _travel(running, ours)
    found += _projections(running.databases, ours)
    return found


def _events(databases, ours) -> list[str]:
    """Each fact committed the expected number of times, published, and handled by every consumer."""
    found, published = [], defaultdict(list)   # (producer, type) -> event ids
    for producer, expected in EXPECTED_EVENTS.items():
        rows = query(databases, producer, "SELECT journey_id, event_type, event_id, published_at FROM outbox")
        counts = defaultdict(Counter)
        for journey, kind, event_id, published_at in rows:
            if journey in ours:
                counts[journey][kind] += 1
                published[(producer, kind)].append(event_id)
                if published_at is None:
                    found.append(f"{producer} never published {kind} {event_id}")
        found += [f"{producer} announced {dict(counts[j])} for journey {j}, expected {expected}"
                  for j in ours if counts[j] != Counter(expected)]
    inboxes = {}
    for producer, kind, service, consumer in subscriptions():
        if service not in inboxes:
            inboxes[service] = set(query(databases, service, "SELECT consumer, event_id FROM inbox"))
        lost = [e for e in published.get((producer, kind), ()) if (consumer, e) not in inboxes[service]]
        found += [f"{consumer} never handled {kind} {event_id}" for event_id in lost]
    return found


def _payments(running, ours) -> list[str]:
    found = []
    invoices = {row[0]: row[1:] for row in query(
        running.databases, "payments",
        "SELECT journey_id, id, deposit_cents, paid_cents, deposit_paid_at FROM invoices")}
    for journey in ours:
        if journey not in invoices:
            found.append(f"no invoice for journey {journey}")
            continue
        _, deposit, paid, paid_at = invoices[journey]
        if paid != deposit or paid_at is None:
            found.append(f"journey {journey}: deposit {deposit} but {paid} recorded paid (at {paid_at})")
    journey_of = {values[0]: journey for journey, values in invoices.items()}
    payments = by_journey((journey_of.get(i), status) for i, status in query(
        running.databases, "payments", "SELECT invoice_id, status FROM payments"))
    requests_ = by_journey((journey_of.get(i), kind) for i, kind in query(
        running.databases, "payments", "SELECT invoice_id, kind FROM payment_requests"))
    intents = by_journey((i["metadata"].get("journey_id"), i["metadata"].get("kind"), i["status"])
                         for i in requests.get(f"{running.url('payment-provider')}/sandbox/payment_intents",
                                               timeout=10).json())
    for journey in ours:
        if sorted(payments[journey]) != [("succeeded",)]:
            found.append(f"journey {journey}: payments recorded {payments[journey]}, expected one succeeded")
        if sorted(requests_[journey]) != [("balance",), ("deposit",)]:
            found.append(f"journey {journey}: payment requests {requests_[journey]}, "
                         "expected one deposit and one balance")
        if sorted(intents[journey]) != [("balance", "requires_payment_method"), ("deposit", "succeeded")]:
            found.append(f"journey {journey}: the provider holds intents {intents[journey]}")
    return found


def _surgery(databases, ours) -> list[str]:
    found = []
    cases = {row[0]: row[1:] for row in query(
        databases, "surgery", "SELECT journey_id, status, surgery_date FROM surgery_cases")}
    slots = by_journey(query(databases, "surgery", "SELECT journey_id, surgery_date FROM operating_slots"))
    nights = by_journey(query(databases, "surgery", "SELECT journey_id, night FROM ward_bed_nights"))
    changes = by_journey(query(databases, "surgery", "SELECT journey_id, kind FROM schedule_changes"))
    for journey in ours:
        status, day = cases.get(journey, (None, None))
        if status != "scheduled":
            found.append(f"journey {journey}: surgery case is {status}, expected scheduled")
        if slots[journey] != [(day,)]:
            found.append(f"journey {journey}: operating slots {slots[journey]}, expected one on {day}")
        if not nights[journey] or len(set(nights[journey])) != len(nights[journey]):
            found.append(f"journey {journey}: ward bed nights {nights[journey]}, expected each night once")
        if changes[journey] != [("scheduled",)]:
            found.append(f"journey {journey}: schedule changes {changes[journey]}, expected one 'scheduled'")
    return found


def _travel(running, ours) -> list[str]:
    found = []
    itineraries = by_journey(query(running.databases, "travel",
                                   "SELECT journey_id, status, confirmed FROM itineraries"))
    bookings = by_journey(query(running.databases, "travel",
                                "SELECT journey_id, part, status, current, id FROM bookings"))
    sent = by_journey(query(running.databases, "travel", "SELECT journey_id, action FROM agency_requests"))
    journey_of = {booking[3]: journey for journey, rows in bookings.items() for booking in rows}
    orders = by_journey((journey_of.get(o["client_reference"]), o["part"], o["status"]) for o in requests.get(
        f"{running.url('travel-agency')}/_sandbox/orders", timeout=10).json()["orders"])
    for journey in ours:
        if itineraries[journey] != [("active", True)]:
            found.append(f"journey {journey}: itineraries {itineraries[journey]}, "
                         "expected one, active and confirmed")
        parts = sorted((part, status, current) for part, status, current, _ in bookings[journey])
        if parts != sorted((part, "confirmed", True) for part in PARTS):
            found.append(f"journey {journey}: bookings {parts}, expected each part once, confirmed")
        if sorted(sent[journey]) != [("book",)] * 4:
            found.append(f"journey {journey}: agency requests {sent[journey]}, expected four bookings")
        if sorted(orders[journey]) != sorted((part, "confirmed") for part in PARTS):
            found.append(f"journey {journey}: the agency holds orders {orders[journey]}")
    return found


def _projections(databases, ours) -> list[str]:
    found = []
    plans = {row[0]: row[1] for row in query(databases, "rehabilitation",
                                              "SELECT journey_id, status FROM rehab_plans")}
    boards = {row[0]: row[1:] for row in query(databases, "journey",
                                                "SELECT journey_id, stage, event_count FROM journeys")}
    facts = sum(sum(expected.values()) for expected in EXPECTED_EVENTS.values())
    for journey in ours:
        if plans.get(journey) != "awaiting":
            found.append(f"journey {journey}: rehabilitation plan {plans.get(journey)}, expected awaiting")
        if boards.get(journey) != ("surgery_planned", facts):
            found.append(f"journey {journey}: board shows {boards.get(journey)}, "
                         f"expected surgery_planned with {facts} facts")
    return found


def timers_fired_once(databases: dict[str, str], now) -> tuple[int, list[str]]:
    """Every service's timers due by `now` (the clinic clock's): each fired, its one event in the outbox
    once and published. Returns how many fired, and what is wrong."""
    found, fired = [], 0
    for service in databases:
        rows = query(databases, service,
                     "SELECT t.key, t.event_id, count(o.id), count(o.published_at) FROM timers t "
                     "LEFT JOIN outbox o ON o.event_id = t.event_id "
                     "WHERE t.fired_at IS NOT NULL GROUP BY t.key, t.event_id")
        fired += len(rows)
        found += [f"{service} timer {key} fired as {event_id}: {rows_} outbox rows, {published} published"
                  for key, event_id, rows_, published in rows if (rows_, published) != (1, 1)]
        waiting = query(databases, service, "SELECT key FROM timers WHERE fired_at IS NULL AND due_at < :now",
                        now=now)
        found += [f"{service} timer {key} is due and has not fired" for (key,) in waiting]
    return fired, found


def outbox_published_once(databases: dict[str, str]) -> tuple[int, list[str]]:
    """Every service's outbox: one row an event, each published. Returns how many rows, and what is wrong."""
    found, total = [], 0
    for service in databases:
        rows = query(databases, service, "SELECT event_id, count(*), count(published_at) FROM outbox "
                                         "GROUP BY event_id")
        total += len(rows)
        found += [f"{service} outbox holds event {event_id} {n} times, {published} published"
                  for event_id, n, published in rows if (n, published) != (1, 1)]
    return total, found


def projection_once_per_fact(databases: dict[str, str]) -> tuple[int, list[str]]:
    """The journey service's history and projection: each fact stored once, and each journey's row and
    timeline holding each of its facts once. Returns how many facts, and what is wrong."""
    stored = Counter(dict(query(databases, "journey", "SELECT journey_id, count(DISTINCT event_id) "
                                                      "FROM journey_events GROUP BY journey_id")))
    copies = query(databases, "journey", "SELECT event_id FROM journey_events GROUP BY event_id "
                                         "HAVING count(*) > 1")
    shown = {row[0]: row[1:] for row in query(databases, "journey", "SELECT journey_id, count(*), "
                                              "count(DISTINCT event_id) FROM timeline GROUP BY journey_id")}
    boards = dict(query(databases, "journey", "SELECT journey_id, event_count FROM journeys"))
    found = [f"the journey history holds {event_id} more than once" for (event_id,) in copies]
    for journey, facts in stored.items():
        if shown.get(journey) != (facts, facts):
            found.append(f"journey {journey}: timeline (entries, facts) {shown.get(journey)}, "
                         f"expected {facts} each")
        if boards.get(journey) != facts:
            found.append(f"journey {journey}: board counts {boards.get(journey)} facts, stored {facts}")
    found += [f"journey {j} on the board or timeline without facts"
              for j in (set(boards) | set(shown)) - set(stored)]
    return sum(stored.values()), found


def handled_by_every_consumer(databases: dict[str, str]) -> list[str]:
    """Every event any service published, in the inbox of every consumer subscribed to it."""
    published, inboxes, found = {}, {}, []
    for producer, kind, service, consumer in subscriptions():
        if producer not in published:
            sent = "SELECT event_type, event_id FROM outbox WHERE published_at IS NOT NULL"
            published[producer] = by_journey(query(databases, producer, sent))
        if service not in inboxes:
            inboxes[service] = set(query(databases, service, "SELECT consumer, event_id FROM inbox"))
        found += [f"{consumer} never handled {kind} {event_id}" for (event_id,) in published[producer][kind]
                  if (consumer, event_id) not in inboxes[service]]
    return found
