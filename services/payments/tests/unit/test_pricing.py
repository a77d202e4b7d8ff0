"""The price of a treatment, its deposit and due dates, without a broker or a database."""
from datetime import date

from services.payments.domain import pricing

PRICES = {"transfemoral": 4_500_000, "transfemoral_bilateral": 8_500_000, "default": 4_000_000}


def test_a_quote_takes_the_package_price_and_half_as_deposit_due_two_weeks_later():
    q = pricing.quote(PRICES, "transfemoral", "left", deposit_percent=50, issued_on=date(2025, 3, 1),
                      deposit_due_days=14)
    assert (q.package, q.total_cents, q.deposit_cents, q.deposit_due) == \
        ("transfemoral", 4_500_000, 2_250_000, date(2025, 3, 15))


def test_both_sides_are_priced_as_the_bilateral_package():
    q = pricing.quote(PRICES, "transfemoral", "both", deposit_percent=50, issued_on=date(2025, 3, 1),
                      deposit_due_days=14)
    assert (q.package, q.total_cents) == ("transfemoral_bilateral", 8_500_000)


def test_a_level_without_a_price_of_its_own_gets_the_default_price():
    q = pricing.quote(PRICES, "transtibial", "left", deposit_percent=50, issued_on=date(2025, 3, 1),
                      deposit_due_days=14)
    assert (q.package, q.total_cents) == ("default", 4_000_000)


def test_an_odd_total_rounds_the_deposit_up_to_a_whole_cent():
    assert pricing.deposit_of(1001, 50) == 501

