"""The refund policy: by reason, and by how long before surgery the journey was cancelled."""
from datetime import date

from services.payments.domain.refund_policy import decide_refund

POLICY = {"medical": [{"days_before": 0, "percent": 100}],
          "default": [{"days_before": 60, "percent": 100}, {"days_before": 30, "percent": 75},
                      {"days_before": 0, "percent": 25}]}
TODAY = date(2025, 5, 1)


def test_a_cancellation_long_before_surgery_refunds_everything():
    decision = decide_refund(POLICY, "patient_request", net_paid_cents=2_000_000,
                             surgery_date=date(2025, 8, 1), today=TODAY)
    assert (decision.percent, decision.refund_cents) == (100, 2_000_000)


def test_a_late_cancellation_refunds_less_and_says_which_rule_applied():
    decision = decide_refund(POLICY, "patient_request", net_paid_cents=2_000_001,
                             surgery_date=date(2025, 5, 20), today=TODAY)
    assert (decision.percent, decision.refund_cents) == (25, 500_000)
    assert decision.explanation == "default: 19 days before surgery, at least 0 days: 25%"


def test_a_medical_reason_refunds_everything_even_the_day_before():
    decision = decide_refund(POLICY, "medical", net_paid_cents=1000, surgery_date=date(2025, 5, 2),
                             today=TODAY)
    assert decision.refund_cents == 1000


def test_without_a_surgery_date_the_most_generous_rule_applies():
    decision = decide_refund(POLICY, "patient_request", net_paid_cents=1000, surgery_date=None, today=TODAY)
    assert decision.percent == 100


def test_after_the_surgery_date_no_rule_matches_and_nothing_is_refunded():
    decision = decide_refund(POLICY, "patient_request", net_paid_cents=1000,
                             surgery_date=date(2025, 4, 1), today=TODAY)
    assert (decision.percent, decision.refund_cents) == (0, 0)


def test_nothing_paid_means_nothing_to_refund():
    decision = decide_refund(POLICY, "medical", net_paid_cents=0, surgery_date=None, today=TODAY)
    assert decision.refund_cents == 0
