from datetime import date

import pytest

from services.followup.domain.checkups import Findings, check_outcome, findings_of_concern, rebook_after_miss
from shared.errors import Conflict, Invalid

CALM = Findings("calm", 1, False, "moderate", "stable")


def test_a_missed_checkup_is_rebooked_and_flagged_at_the_second_miss_in_a_row():
    first = rebook_after_miss(date(2025, 6, 10), today=date(2025, 6, 10), misses_before=0,
                              rebook_after_days=7, flag_after_misses=2)
    assert (first.due_on, first.misses, first.flagged) == (date(2025, 6, 17), 1, False)
    second = rebook_after_miss(first.due_on, today=date(2025, 6, 20), misses_before=first.misses,
                               rebook_after_days=7, flag_after_misses=2)
    assert (second.due_on, second.misses, second.flagged) == (date(2025, 6, 27), 2, True)


def test_only_a_planned_checkup_gets_an_outcome():
    check_outcome("planned", "done", CALM, None)
    with pytest.raises(Conflict):
        check_outcome("done", "missed", None, None)


def test_a_done_checkup_needs_findings_and_a_cancelled_one_a_reason():
    with pytest.raises(Invalid):
        check_outcome("planned", "done", None, None)
    with pytest.raises(Invalid):
        check_outcome("planned", "missed", CALM, None)
    with pytest.raises(Invalid):
        check_outcome("planned", "cancelled", None, None)
    check_outcome("planned", "cancelled", None, "patient_in_hospital")


def test_worrying_findings_are_named():
    assert findings_of_concern(CALM) == []
    worrying = Findings("irritated", 8, True, "low", "uncertain")
    assert findings_of_concern(worrying) == [
        "stoma irritated", "signs of infection", "implant uncertain", "severe pain"]
