"""The load build-up: start load, target, steps and the refusals that protect the implant."""
from decimal import Decimal as D

import pytest

from services.rehabilitation.domain import (
    Progression,
    Rules,
    check_start_load,
    default_start_load,
    target_load,
)
from shared.errors import Invalid

RULES = Rules()


@pytest.mark.parametrize("weight, target", [("83", "41.0"), ("84.4", "42.0"), ("85", "42.0"), ("60", "30.0")])
def test_the_target_is_half_the_body_weight_rounded_down_to_whole_kg(weight, target):
    assert target_load(D(weight), RULES) == D(target)


def test_rounding_to_the_nearest_half_kg_can_be_configured():
    rules = Rules(target_rounding_kg=D("0.5"), target_rounding="nearest")
    assert target_load(D("83.4"), rules) == D("41.5")
    assert target_load(D("83.6"), rules) == D("42.0")


def test_the_target_follows_a_configured_fraction():
    assert target_load(D("80"), Rules(target_fraction=D("0.4"))) == D("32.0")


def test_from_20_kg_the_load_rises_in_steps_and_the_last_step_stops_at_the_target():
    ladder = Progression(D(20), D(41), D(5)).ladder()
    assert ladder == [D(20), D(25), D(30), D(35), D(40), D(41)]


def test_from_5_kg_the_build_up_takes_more_steps_to_the_same_target():
    ladder = Progression(D(5), D(40), D(5)).ladder()
    assert ladder == [D(n) for n in range(5, 41, 5)]


def test_the_default_start_is_20_kg_unless_that_exceeds_the_target():
    assert default_start_load(D(41), RULES) == D(20)
    assert default_start_load(D(18), RULES) == D(5)


def test_the_physiotherapist_may_start_at_5_or_20_kg_only():
    check_start_load(D(5), D(41), RULES)
    check_start_load(D(20), D(41), RULES)
    with pytest.raises(Invalid) as refused:
        check_start_load(D(10), D(41), RULES)
    assert "start_load_kg" in refused.value.details["fields"]


def test_a_start_load_above_the_target_is_refused():
    with pytest.raises(Invalid, match="above the target"):
        check_start_load(D(20), D(18), RULES)


PLAN = Progression(D(20), D(41), D(5))
WEIGHT = D(83)


def test_the_first_session_may_reach_the_start_load_without_a_reason():
    assert PLAN.next_step(None) == D(20)
    PLAN.check_load(D(20), None, WEIGHT, None)


def test_a_load_above_the_next_step_is_refused_without_a_reason():
    with pytest.raises(Invalid, match="next step") as refused:
        PLAN.check_load(D(30), D(20), WEIGHT, None)
    assert refused.value.details["fields"]["reason"] == ["required above the next step of 25.0 kg"]


def test_a_load_above_the_next_step_is_accepted_with_a_recorded_reason():
    PLAN.check_load(D(30), D(20), WEIGHT, "tolerated well, specialist agreed")


def test_a_load_between_steps_or_below_the_best_needs_no_reason():
    PLAN.check_load(D("22.5"), D(20), WEIGHT, None)
    PLAN.check_load(D(15), D(30), WEIGHT, None)


def test_the_last_step_is_the_target_and_beyond_it_a_reason_is_needed():
    assert PLAN.next_step(D(40)) == D(41)
    PLAN.check_load(D(41), D(40), WEIGHT, None)
    with pytest.raises(Invalid, match="above the target"):
        PLAN.check_load(D(42), D(41), WEIGHT, None)
    PLAN.check_load(D(42), D(41), WEIGHT, "gait training with a backpack")


@pytest.mark.parametrize("load", [D(-1), D(84), D(400)])
def test_a_negative_load_or_one_above_the_body_weight_is_refused_even_with_a_reason(load):
    with pytest.raises(Invalid, match="not possible") as refused:
        PLAN.check_load(load, D(40), WEIGHT, "a reason does not make it possible")
    assert "load_kg" in refused.value.details["fields"]
