"""The balance and disputes a surgery rests on, and the clinic's policy on an unpaid balance."""
from datetime import date

import pytest

from services.surgery.domain.standing import BLOCK, WARN, Standing, require_balance_paid, warnings
from services.surgery.settings import parse as parse_settings
from shared.errors import Conflict

UNPAID = Standing(balance_paid=False, balance_cents=1_250_000, balance_due=date(2027, 3, 8))


def test_an_unpaid_balance_is_a_warning_naming_the_amount_and_the_due_date():
    [warning] = warnings(UNPAID, WARN)
    assert warning["code"] == "balance_unpaid"
    assert "EUR 12,500.00" in warning["message"] and "2027-03-08" in warning["message"]
    assert "go ahead" in warning["message"]
    assert "waits" in warnings(UNPAID, BLOCK)[0]["message"]


def test_a_paid_balance_and_no_open_dispute_warn_of_nothing():
    assert warnings(Standing(balance_paid=True), WARN) == []


def test_an_open_dispute_is_a_warning():
    codes = [w["code"] for w in warnings(Standing(balance_paid=True, open_disputes=1), WARN)]
    assert codes == ["payment_disputed"]


def test_under_the_block_policy_an_unpaid_balance_refuses_the_step_with_a_sentence():
    with pytest.raises(Conflict) as refused:
        require_balance_paid(UNPAID, BLOCK, "record the patient fit for surgery")
    assert refused.value.message.startswith("cannot record the patient fit for surgery: the balance of EUR")
    assert refused.value.details == {"blocked_by": "balance_unpaid"}
    require_balance_paid(UNPAID, WARN, "record the patient fit for surgery")
    require_balance_paid(Standing(balance_paid=True), BLOCK, "record the operation")


def test_the_unpaid_balance_policy_is_warn_by_default_and_a_wrong_value_stops_the_service():
    assert parse_settings({}).unpaid_balance == WARN
    assert parse_settings({"SURGERY": {"unpaid_balance": "BLOCK"}}).unpaid_balance == BLOCK
    with pytest.raises(ValueError, match="warn, block"):
        parse_settings({"SURGERY": {"unpaid_balance": "maybe"}})


def test_the_in_country_minimum_lead_is_read_from_config():
    assert parse_settings({"SURGERY": {"in_country_min_lead_days": 3}}).rules.in_country_min_lead_days == 3
