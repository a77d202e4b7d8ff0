"""Rehabilitation behind plan on the board: once missed days put the end past the flight home,
the journey waits on a changed departure, and the timeline says so; back within it, the wait goes."""
from datetime import UTC, datetime, timedelta

from services.journey.domain.facts import Fact
from services.journey.domain.projection import project
from services.journey.domain.wording import summary, waiting_label
from services.journey.tests.story import event, new_journey, story
from services.journey.tests.unit.facts import fact

START = datetime(2025, 3, 3, 9, tzinfo=UTC)


def _in_rehabilitation(journey: str) -> list[Fact]:
    steps = story(journey, START)
    first = next(i for i, s in enumerate(steps) if s.stage == "rehabilitation")
    return [fact(s.event) for s in steps[:first + 1]]


def _behind(journey: str, days_past: int, at: datetime) -> Fact:
    return fact(event("rehabilitation", "rehab_behind_plan", {
        "plan_id": "R-1", "missed_days": 3 + days_past, "missed_sessions": 1,
        "days_past_departure": days_past}, journey, at=at))


def test_a_projected_end_past_the_departure_is_waited_on_first_until_it_fits_again():
    journey = new_journey()
    facts = _in_rehabilitation(journey)
    assert "departure_change" not in project(journey, facts).waiting_for
    later = facts[-1].occurred_at + timedelta(days=10)
    facts.append(_behind(journey, 2, later))
    behind = project(journey, facts)
    assert behind.stage == "rehabilitation" and behind.waiting_for[0] == "departure_change"
    assert "flight home" in waiting_label("departure_change")
    assert summary(facts[-1]) == ("Rehabilitation behind plan: 5 days missed, 1 supervised sessions missed; "
                                  "the projected end is 2 days after the booked departure")
    facts.append(_behind(journey, 0, later + timedelta(days=1)))
    assert "departure_change" not in project(journey, facts).waiting_for
    assert "fits before the booked departure again" in summary(facts[-1])
