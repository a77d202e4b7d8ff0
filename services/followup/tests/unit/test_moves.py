"""A patient may ask to move a check-up still to come, never one done, missed, cancelled or past."""
from datetime import date

import pytest

from services.followup.domain.moves import REASONS, check_movable
from shared.contracts.api.followup import CheckupMoveForm
from shared.errors import Conflict

TODAY = date(2026, 12, 2)


def test_a_planned_check_up_still_to_come_may_be_moved():
    check_movable("planned", date(2026, 12, 14), TODAY)
    check_movable("planned", TODAY, TODAY)


@pytest.mark.parametrize("status", ["done", "missed", "cancelled"])
def test_a_check_up_that_has_had_its_outcome_cannot_be_moved(status):
    with pytest.raises(Conflict, match=f"is {status}"):
        check_movable(status, date(2026, 12, 14), TODAY)


def test_a_check_up_whose_day_has_passed_cannot_be_moved_and_the_patient_is_told_to_call():
    with pytest.raises(Conflict, match="call the clinic"):
        check_movable("planned", date(2026, 12, 1), TODAY)


def test_the_wire_contract_knows_the_same_reasons_as_the_rule():
    assert set(CheckupMoveForm().fields["reason"].validate.choices) == set(REASONS)
