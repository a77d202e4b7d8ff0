"""What staff may do to a case in each state, and the clinical rules of the ward."""
from datetime import date

import pytest

from services.surgery.domain import lifecycle
from shared.errors import Conflict, Invalid


def test_surgery_is_scheduled_only_once_both_facts_arrived_and_only_from_waiting():
    assert lifecycle.ready_to_schedule(lifecycle.WAITING, accepted=True, deposit_paid=True)
    assert not lifecycle.ready_to_schedule(lifecycle.WAITING, accepted=True, deposit_paid=False)
    assert not lifecycle.ready_to_schedule(lifecycle.WAITING, accepted=False, deposit_paid=True)
    assert not lifecycle.ready_to_schedule(lifecycle.SCHEDULED, accepted=True, deposit_paid=True)
    assert not lifecycle.ready_to_schedule(lifecycle.CANCELLED, accepted=True, deposit_paid=True)


@pytest.mark.parametrize("action, status", [
    ("record the operation of", lifecycle.SCHEDULED),          # surgery before the pre-op check
    ("discharge", lifecycle.READY),                            # discharge before surgery
    ("reschedule", lifecycle.CANCELLED), ("cancel", lifecycle.CANCELLED),
    ("record the pre-op check of", lifecycle.CANCELLED), ("record the operation of", lifecycle.CANCELLED),
    ("cancel", lifecycle.IN_WARD), ("reschedule", lifecycle.IN_WARD), ("discharge", lifecycle.DISCHARGED),
    ("record the pre-op check of", lifecycle.READY), ("schedule", lifecycle.SCHEDULED),
])
def test_an_action_in_an_impossible_order_is_refused_as_a_conflict(action, status):
    with pytest.raises(Conflict, match=f"cannot {action}"):
        lifecycle.require(action, status)


def test_every_state_after_the_ward_allows_nothing_but_the_image():
    assert [a for a, states in lifecycle.ALLOWED.items() if lifecycle.DISCHARGED in states] == [
        "record the post-surgery image of"]
    assert not [a for a, states in lifecycle.ALLOWED.items() if lifecycle.CANCELLED in states]


def test_discharge_needs_the_post_surgery_image_and_three_to_five_ward_days():
    operated = date(2027, 3, 24)
    with pytest.raises(Conflict, match="image"):
        lifecycle.check_discharge(operated, date(2027, 3, 28), 3, 5, has_image=False)
    with pytest.raises(Invalid, match="3 to 5 days"):
        lifecycle.check_discharge(operated, date(2027, 3, 26), 3, 5, has_image=True)
    with pytest.raises(Invalid):
        lifecycle.check_discharge(operated, date(2027, 3, 30), 3, 5, has_image=True)
    lifecycle.check_discharge(operated, date(2027, 3, 27), 3, 5, has_image=True)
    lifecycle.check_discharge(operated, date(2027, 3, 29), 3, 5, has_image=True)


def test_the_operation_cannot_predate_the_preop_check_nor_a_visit_the_operation():
    with pytest.raises(Invalid):
        lifecycle.check_operation_date(date(2027, 3, 22), date(2027, 3, 23))
    with pytest.raises(Invalid):
        lifecycle.check_visit_date(date(2027, 3, 23), date(2027, 3, 24), 5)
    lifecycle.check_visit_date(date(2027, 3, 29), date(2027, 3, 24), 5)


def test_a_case_waiting_says_which_fact_it_waits_for():
    assert lifecycle.waiting_for(accepted=True, deposit_paid=False) == ["deposit_paid"]
    assert lifecycle.waiting_for(accepted=False, deposit_paid=False) == ["patient_accepted", "deposit_paid"]


def test_only_an_amputated_side_is_operated_and_a_bilateral_patient_on_either_or_both():
    with pytest.raises(Invalid, match="amputation is on the left side, so the right side"):
        lifecycle.check_sides(["right"], "left")
    with pytest.raises(Invalid):
        lifecycle.check_sides(["left", "right"], "right")
    lifecycle.check_sides(["left", "right"], "both")
    lifecycle.check_sides(["right"], "both")
    lifecycle.check_sides(["right"], None)       # a case from before the side was kept


def test_a_patient_is_in_the_country_once_reported_at_the_preop_check_or_past_the_arrival_day():
    arrival = date(2027, 3, 22)
    assert lifecycle.in_country_since(None, arrival, date(2027, 3, 22)) is None          # arriving today
    assert lifecycle.in_country_since(None, arrival, date(2027, 3, 23)) == arrival
    assert lifecycle.in_country_since(None, arrival, date(2027, 3, 20), reported=True) == arrival
    assert lifecycle.in_country_since(date(2027, 3, 21), arrival, date(2027, 4, 1)) == date(2027, 3, 21)
    assert lifecycle.in_country_since(None, None, date(2027, 4, 1)) is None               # nothing planned
