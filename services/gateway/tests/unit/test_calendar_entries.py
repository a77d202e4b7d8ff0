"""The portal's calendar files: every date its own entry, and a moved date the same entry."""
from datetime import date

from icalendar import Calendar

from services.gateway.adapters.calendars import Entry, ics, occurrence_keys

CHECKUP = "Check-up by video call"


def _uids(kinds_and_days: list[tuple[str, date]]) -> list[str]:
    keys = occurrence_keys([kind for kind, _ in kinds_and_days])
    entries = [Entry(key=key, summary=kind, on=on)
               for key, (kind, on) in zip(keys, kinds_and_days, strict=True)]
    return [str(event["UID"]) for event in Calendar.from_ical(ics("journey-1", entries)).walk("VEVENT")]


def test_each_check_up_in_the_file_of_all_dates_has_its_own_entry():
    uids = _uids([("Your surgery", date(2027, 1, 4)), (CHECKUP, date(2027, 2, 1)),
                  (CHECKUP, date(2027, 4, 1)), (CHECKUP, date(2027, 7, 1))])
    assert len(set(uids)) == 4


def test_a_moved_check_up_keeps_its_entry_so_a_calendar_updates_it_instead_of_adding_one():
    before = _uids([(CHECKUP, date(2027, 2, 1)), (CHECKUP, date(2027, 4, 1))])
    after = _uids([(CHECKUP, date(2027, 2, 8)), (CHECKUP, date(2027, 4, 1))])
    assert before == after


def test_the_same_journey_and_date_give_the_same_entry_and_another_journey_another():
    one = ics("journey-1", [Entry(key="Your surgery", summary="s", on=date(2027, 1, 4))])
    other = ics("journey-2", [Entry(key="Your surgery", summary="s", on=date(2027, 1, 4))])
    uid = [str(e["UID"]) for e in Calendar.from_ical(one).walk("VEVENT")]
    assert uid == [str(e["UID"]) for e in Calendar.from_ical(one).walk("VEVENT")]
    assert uid != [str(e["UID"]) for e in Calendar.from_ical(other).walk("VEVENT")]
