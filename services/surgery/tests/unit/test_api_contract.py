"""The surgery API contract, as the service and the gateway both load and dump it."""
from datetime import date

import pytest

from shared.contracts.api.surgery import OperatingDay, PreopCheckResult, RescheduleSurgery, SurgeryOperation
from shared.edge import dump, load
from shared.errors import Invalid


def test_a_patient_found_not_fit_needs_a_reason_from_the_list():
    with pytest.raises(Invalid) as refused:
        load(PreopCheckResult, {"fit": False})
    assert refused.value.details["fields"] == {"reason_code": ["required when not fit"]}
    assert load(PreopCheckResult, {"fit": False, "reason_code": "infection"})["reason_code"] == "infection"


def test_a_reschedule_reason_outside_the_vocabulary_is_refused():
    with pytest.raises(Invalid) as refused:
        load(RescheduleSurgery, {"reason_code": "because_i_said_so"})
    assert "reason_code" in refused.value.details["fields"]


def test_an_operating_day_dumps_the_same_from_the_service_and_again_at_the_gateway():
    day = {"date": date(2027, 3, 24), "status": "free", "closed_reason": None, "surgeries": 0,
           "capacity": 2, "ward_beds_taken": 0, "ward_beds": 8, "journeys": []}
    once = dump(OperatingDay, day)
    assert once["date"] == "2027-03-24" and dump(OperatingDay, once) == once


def _side(side: str, lot: str) -> dict:
    return {"side": side, "implant_type": "OPRA", "implant_size": "16mm", "implant_lot": lot}


def test_an_operation_records_each_side_operated_with_its_own_implant():
    operation = load(SurgeryOperation, {"performed_on": "2027-03-24",
                                        "sides": [_side("left", "L-1"), _side("right", "R-1")]})
    assert [(s["side"], s["implant_lot"]) for s in operation["sides"]] == [("left", "L-1"), ("right", "R-1")]


@pytest.mark.parametrize("sides, message", [
    ([], "Length must be between 1 and 2."),
    ([_side("left", "L-1"), _side("left", "L-2")], "each side is recorded once")])
def test_an_operation_without_a_side_or_with_a_side_twice_is_refused(sides, message):
    with pytest.raises(Invalid) as refused:
        load(SurgeryOperation, {"performed_on": "2027-03-24", "sides": sides})
    assert refused.value.details["fields"] == {"sides": [message]}
