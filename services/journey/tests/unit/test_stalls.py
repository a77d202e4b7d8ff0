from datetime import UTC, date, datetime

from services.journey.domain.stalls import Limits, Stall, stalls, working_days_after
from services.journey.domain.status import Progress

KINGS_DAY = date(2025, 4, 28)  # a Monday holiday in this test's calendar
HOLIDAYS = {KINGS_DAY}


def _progress(**facts) -> Progress:
    base = dict(stage="screening", kind="suitability", enquiry_received_at=None, answered=False,
                accepted_on=None, deposit_paid=False, review_due=None, conflict_open_since=None)
    return Progress(**(base | facts))


def test_working_days_skip_weekends_and_holidays():
    assert working_days_after(date(2025, 4, 24), date(2025, 4, 30), HOLIDAYS) == 2  # Fri, Tue


def test_an_enquiry_unanswered_for_two_working_days_is_stalled_and_the_weekend_does_not_count():
    received = _progress(enquiry_received_at=datetime(2025, 4, 24, 16, tzinfo=UTC))  # a Thursday
    assert stalls(received, date(2025, 4, 29), Limits(), HOLIDAYS) == []  # Fri passed; Mon is a holiday
    assert stalls(received, date(2025, 4, 30), Limits(), HOLIDAYS) == [Stall("enquiry_unanswered",
                                                                             date(2025, 4, 30))]


def test_an_answered_enquiry_is_not_stalled():
    answered = _progress(enquiry_received_at=datetime(2025, 1, 6, tzinfo=UTC), answered=True)
    assert stalls(answered, date(2025, 3, 1), Limits()) == []


def test_an_overdue_fact_stalls_the_journey_from_the_day_it_names():
    overdue = _progress(stage="payment", answered=True, accepted_on=date(2025, 6, 1),
                        overdue=(("deposit_unpaid", date(2025, 6, 16)),))
    assert stalls(overdue, date(2025, 6, 16), Limits()) == [Stall("deposit_unpaid", date(2025, 6, 16))]
    # no fact, no stall: the deadline is the producer's, however long ago the patient was accepted
    assert stalls(_progress(stage="payment", answered=True, accepted_on=date(2025, 6, 1)),
                  date(2025, 9, 1), Limits()) == []


def test_an_overdue_review_and_an_open_travel_conflict_are_stalls_with_their_own_dates():
    waiting = _progress(stage="follow_up", answered=True, overdue=(("review_overdue", date(2025, 7, 11)),),
                        conflict_open_since=datetime(2025, 7, 9, 8, tzinfo=UTC))
    limits = Limits(travel_conflict_open_days=2)
    assert stalls(waiting, date(2025, 7, 10), limits) == []
    assert stalls(waiting, date(2025, 7, 11), limits) == [Stall("review_overdue", date(2025, 7, 11)),
                                                          Stall("travel_conflict_open", date(2025, 7, 11))]


def test_an_ended_journey_is_never_stalled():
    declined = _progress(stage="declined", enquiry_received_at=datetime(2025, 1, 6, tzinfo=UTC))
    assert stalls(declined, date(2025, 3, 1), Limits()) == []
