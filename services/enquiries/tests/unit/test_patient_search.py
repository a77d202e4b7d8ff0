"""Reading what a coordinator typed into Find a patient."""
from datetime import date

import pytest

from services.enquiries.domain.search import Query, UnreadableQuery, normalise, read, search_text


def test_names_are_compared_without_case_accents_or_punctuation():
    assert normalise("Łukasz  O'Brien-Müller") == "lukasz obrien muller"
    assert normalise("Søren Æbeltoft, Straße") == "soren aebeltoft strasse"
    assert search_text("Ana Testperson", None, "TESTPERSON") == "ana testperson testperson"
    assert search_text(None, None, None) is None


def test_an_email_is_looked_for_exactly_in_any_case():
    assert read("  Ana.Test@Example.ORG ") == Query(email="ana.test@example.org")


def test_a_date_of_birth_is_read_in_iso_or_day_first_as_the_dutch_write_it():
    born = Query(date_of_birth=date(1979, 4, 2))
    assert read("1979-04-02") == read("02-04-1979") == read("2/4/1979") == born


def test_an_impossible_date_is_refused_in_a_sentence_not_searched_as_a_name():
    with pytest.raises(UnreadableQuery, match="31-02-1980 is not a date"):
        read("31-02-1980")


def test_words_are_each_looked_for_in_the_name_and_hex_may_also_be_a_journey_id():
    assert read("jansen  ANNA") == Query(words=("jansen", "anna"))
    assert read("3F2A91") == Query(journey_prefix="3f2a91", words=("3f2a91",))
    assert read("abbe") == Query(journey_prefix="abbe", words=("abbe",))
    assert read("abe").journey_prefix is None     # too short to be a journey id's start


@pytest.mark.parametrize("text, reason", [("", "type a name"), ("   ", "type a name"),
                                          ("j", "at least 2 letters"), ("'-.", "at least 2 letters"),
                                          ("x" * 101, "at most 100 characters")])
def test_an_empty_too_short_or_too_long_query_is_refused_with_why(text, reason):
    with pytest.raises(UnreadableQuery, match=reason):
        read(text)
