"""The stalls a coordinator needs beside the first four: surgery scheduling blocked, a travel desk task
left open, an escalation not acted on in time, an unpaid balance past its date; each from the journey's
facts, and each gone once a later fact settles it."""
from datetime import UTC, date, datetime, timedelta

from services.journey.domain.projection import project
from services.journey.domain.stalls import Limits, Stall, stalls
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact
from shared.contracts.journey import STALLS

START = datetime(2025, 3, 3, 9, tzinfo=UTC)
PAID, SCHEDULED, CONFIRMED = 11, 12, 14     # the story's facts up to the deposit / the surgery / travel
BLOCKED = {"blocked_by": ["ward_beds", "capacity"], "searched_until": date(2025, 9, 1)}


def _journey(upto: int, *extra: tuple[str, str, dict, datetime]):
    journey = new_journey()
    facts = [fact(step.event) for step in story(journey, START)[:upto]]
    facts += [fact(event(producer, kind, payload, journey, at=at)) for producer, kind, payload, at in extra]
    return project(journey, facts)


def _day(n: int) -> datetime:
    return START + timedelta(days=n)


def test_surgery_finding_no_date_stalls_the_journey_at_once_until_a_date_is_booked():
    blocked = _journey(PAID, ("surgery", "surgery_scheduling_blocked", BLOCKED, _day(2)))
    assert blocked.stage == "scheduling" and blocked.waiting_for == ["planner_action"]
    assert stalls(blocked.progress, date(2025, 3, 5), Limits()) == [Stall("scheduling_blocked",
                                                                           date(2025, 3, 5))]
    assert stalls(blocked.progress, date(2025, 3, 6), Limits(scheduling_blocked_days=2)) == []
    booked = _journey(PAID, ("surgery", "surgery_scheduling_blocked", BLOCKED, _day(2)),
                      ("surgery", "surgery_scheduled", _plan(), _day(3)))
    assert booked.stage == "surgery_planned" and stalls(booked.progress, date(2025, 3, 9), Limits()) == []


def test_a_travel_desk_task_stalls_the_journey_until_the_itinerary_is_confirmed_again():
    task = {"itinerary_id": "T-1", "task_code": "booking_failed", "part": "outbound"}
    again = dict(task, task_code="home_airport_unknown", part=None)
    open_ = _journey(CONFIRMED, ("travel", "travel_desk_task_opened", task, _day(2)),
                     ("travel", "travel_desk_task_opened", again, _day(4)),
                     ("travel", "travel_desk_task_opened", task, _day(5)))    # asked again: still the first
    assert open_.progress.desk_task_open_since == _day(2)
    assert stalls(open_.progress, date(2025, 3, 6), Limits()) == [Stall("desk_task_open", date(2025, 3, 5))]
    confirmed = ("travel", "itinerary_confirmed", {"itinerary_id": "T-1", "arrival_date": date(2025, 3, 1),
                                                   "departure_date": date(2025, 4, 20)}, _day(6))
    settled = _journey(CONFIRMED, ("travel", "travel_desk_task_opened", task, _day(2)), confirmed)
    assert settled.progress.desk_task_open_since is None
    assert stalls(settled.progress, date(2025, 3, 10), Limits()) == []


def test_a_task_or_conflict_the_desk_resolved_stops_stalling_the_journey_once_none_is_left_open():
    task = {"itinerary_id": "T-1", "task_code": "booking_failed", "part": "outbound"}
    other = dict(task, task_code="home_airport_unknown", part=None)
    done = {"itinerary_id": "T-1", "kind": "task", "code": "booking_failed", "part": "outbound",
            "conflicts_open": 0, "by_desk": True}
    one_left = _journey(CONFIRMED, ("travel", "travel_desk_task_opened", task, _day(2)),
                        ("travel", "travel_desk_task_opened", other, _day(3)),
                        ("travel", "travel_desk_task_resolved", done, _day(4)))
    assert one_left.progress.desk_task_open_since == _day(3)
    conflict = {"itinerary_id": "T-1", "conflict_code": "hotel_nights_uncovered", "part": "hotel_stay"}
    settled = dict(done, kind="conflict", code="hotel_nights_uncovered", part="hotel_stay")
    still = _journey(CONFIRMED, ("travel", "travel_conflict_detected", conflict, _day(2)),
                     ("travel", "travel_desk_task_resolved", dict(settled, conflicts_open=1), _day(3)))
    assert still.progress.conflict_open_since == _day(2)
    cleared = _journey(CONFIRMED, ("travel", "travel_conflict_detected", conflict, _day(2)),
                       ("travel", "travel_desk_task_resolved", settled, _day(3)))
    assert cleared.progress.conflict_open_since is None
    assert stalls(cleared.progress, date(2025, 3, 10), Limits()) == []


def test_an_escalation_past_its_act_by_date_and_an_unpaid_balance_past_its_due_date_are_stalls():
    overdue = {"escalation_id": "X-1", "act_by": date(2025, 3, 8), "kind": "infection"}
    escalated = _journey(CONFIRMED, ("followup", "escalation_overdue", overdue, _day(6)),
                         ("payments", "balance_due_dated", {"invoice_id": "I-1", "balance_cents": 2_000_000,
                                                            "balance_due": date(2025, 3, 7)}, _day(1)))
    assert stalls(escalated.progress, date(2025, 3, 10), Limits()) == [
        Stall("balance_overdue", date(2025, 3, 8)), Stall("escalation_overdue", date(2025, 3, 9))]


def test_every_stall_the_rules_give_is_a_reason_the_board_can_filter_by():
    task = {"itinerary_id": "T-1", "task_code": "change_failed"}
    blocked = _journey(PAID, ("surgery", "surgery_scheduling_blocked", BLOCKED, _day(2)),
                       ("travel", "travel_desk_task_opened", task, _day(2)))
    found = {s.reason for s in stalls(blocked.progress, date(2025, 3, 20), Limits())}
    assert found == {"scheduling_blocked", "desk_task_open"} and found <= set(STALLS)


def _plan() -> dict:
    surgery = date(2025, 4, 1)
    day = timedelta(days=1)
    return {"surgery_id": "S-1", "arrival_by": surgery - 3 * day, "surgery_date": surgery,
            "preop_check_date": surgery - day, "planned_ward_discharge": surgery + 4 * day,
            "planned_rehab_end": surgery + 35 * day, "departure_date": surgery + 40 * day}
