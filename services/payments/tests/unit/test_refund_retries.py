from services.payments.domain.retries import RetryPolicy
from services.payments.settings import parse


def test_a_refund_waits_longer_after_each_failure_up_to_the_cap_then_is_given_up():
    policy = RetryPolicy(attempts=4, first_delay=30, factor=3, max_delay=200)
    assert [policy.delay(n) for n in (1, 2, 3)] == [30, 90, 200]
    assert [policy.exhausted(n) for n in (3, 4)] == [False, True]


def test_the_settings_default_to_an_hour_for_unmatched_events_and_five_refund_tries():
    settings = parse({})
    assert (settings.unmatched_after_minutes, settings.refund_retry.attempts) == (60, 5)
    assert settings.provider_actor == "provider:sandbox"
    chosen = parse({"PAYMENTS": {"unmatched_after_minutes": 15, "refund_retry": {"attempts": 2}}})
    assert (chosen.unmatched_after_minutes, chosen.refund_retry.attempts) == (15, 2)
