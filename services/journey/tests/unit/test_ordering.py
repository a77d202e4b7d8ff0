import random
from datetime import UTC, datetime, timedelta

from services.journey.domain.facts import Fact, causal_order

T0 = datetime(2025, 5, 1, 12, tzinfo=UTC)


def _fact(event_id, minutes, cause=None):
    return Fact(event_id, "x", "p", T0 + timedelta(minutes=minutes), {}, cause)


def test_an_effect_stamped_before_its_cause_by_a_skewed_clock_still_comes_after_it():
    cause, effect, unrelated = _fact("a", 10), _fact("b", 5, cause="a"), _fact("c", 7)
    assert [f.event_id for f in causal_order([effect, unrelated, cause])] == ["c", "a", "b"]


def test_facts_are_ordered_by_time_and_ties_by_id_whatever_order_they_arrive_in():
    facts = [_fact(str(n), n // 2) for n in range(12)]
    expected = [f.event_id for f in sorted(facts, key=lambda f: (f.occurred_at, f.event_id))]
    for seed in range(5):
        shuffled = facts[:]
        random.Random(seed).shuffle(shuffled)
        assert [f.event_id for f in causal_order(shuffled)] == expected


def test_a_duplicated_fact_is_listed_once():
    once = _fact("a", 1)
    assert causal_order([once, once, _fact("b", 2, cause="a"), once]) == [once, _fact("b", 2, cause="a")]


def test_a_cause_outside_the_journey_does_not_hold_a_fact_back():
    assert [f.event_id for f in causal_order([_fact("b", 2, cause="request:1"), _fact("a", 3)])] == ["b", "a"]
