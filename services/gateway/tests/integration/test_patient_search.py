"""Find a patient and the board with names, over HTTP, on the gateway, enquiries and the journey (real
broker and PostgreSQL): found by part of a name, email, date of birth or journey id; each search in the
access log with what was searched for, and each patient shown as a read of their record; names only for
the roles that may see who a patient is; the board a page at a time, by stage and by stall."""
import logging
from datetime import date, timedelta
from urllib.parse import quote

import pytest
import requests

from services.gateway.domain.roles import NAME_READERS, STAFF_ROLES
from services.gateway.models import AccessLogEntry
from services.gateway.tests.staff_system import running_staff_system
from shared.logs import RequestLogFilter

DAY = timedelta(days=1)
ACCEPTED = ("enquiries", "patient_accepted", {"enquiry_id": "E-1", "amputation_level": "transfemoral",
                                              "amputation_side": "left", "body_weight_kg": "82.5",
                                              "preferred_language": "de", "country": "DE"}, 3 * DAY)
PAID = [("payments", "invoice_issued", {"invoice_id": "I-1", "currency": "EUR", "total_cents": 4_000_000,
                                        "deposit_cents": 2_000_000, "balance_cents": 2_000_000,
                                        "deposit_due": date.today() + 10 * DAY,
                                        "balance_due": date.today() + 60 * DAY}, 3 * DAY),
        ("payments", "deposit_paid", {"invoice_id": "I-1", "paid_cents": 2_000_000}, 2 * DAY)]
BLOCKED = ("surgery", "surgery_scheduling_blocked", {"blocked_by": ["ward_beds"],
                                                      "searched_until": date.today() + 180 * DAY}, DAY)


def _enquired(ago: timedelta) -> tuple:
    return ("enquiries", "enquiry_received", {"enquiry_id": "E-1", "kind": "suitability", "country": "DE",
                                              "preferred_language": "de"}, ago)


@pytest.fixture(scope="module")
def system():
    with running_staff_system() as running:
        people = {
            "zoe": running.enquire("Zoë Müller-Łaski", "1975-06-14", email="Zoe.Muller@Example.org"),
            "jan": running.enquire("Jan de Vries", "1980-02-28"),
            "anna": running.enquire("Anna de Vries", "1980-02-28"),
            "piet": running.enquire("Piet Jansen", "1969-11-03"),
        }
        running.people = people
        running.blocked = running.journey_of_facts(_enquired(4 * DAY), ACCEPTED, *PAID, BLOCKED)
        yield running


def _search(system, role, q, **params):
    return requests.get(f"{system.base}/api/patients", params={"q": q, **params}, headers=system.token(role))


def _names(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["name"] for item in answer.json()["items"]]


def test_a_coordinator_finds_a_patient_by_part_of_a_name_in_any_case_and_without_its_accents(system):
    assert _names(_search(system, "intake_coordinator", "muller")) == ["Zoë Müller-Łaski"]
    assert _names(_search(system, "intake_coordinator", "ZOE lask")) == ["Zoë Müller-Łaski"]
    assert _names(_search(system, "specialist", "de vries")) == ["Anna de Vries", "Jan de Vries"]
    assert _names(_search(system, "specialist", "vries jan")) == ["Jan de Vries"]
    assert _names(_search(system, "specialist", "nobody")) == []


def test_a_patient_is_found_by_exact_email_by_date_of_birth_either_way_and_by_journey_id(system):
    assert _names(_search(system, "psychologist", "zoe.muller@EXAMPLE.org")) == ["Zoë Müller-Łaski"]
    assert _names(_search(system, "psychologist", "zoe.muller@example")) == []     # an email is exact
    for born in ("1980-02-28", "28-02-1980", "28/02/1980"):
        assert _names(_search(system, "administrator", born)) == ["Anna de Vries", "Jan de Vries"]
    jan = system.people["jan"]
    found = _search(system, "administrator", jan[:8].upper()).json()["items"]
    assert [(item["journey_id"], item["stage"], item["date_of_birth"]) for item in found] == [
        (jan, "screening", "1980-02-28")]
    assert _names(_search(system, "administrator", jan)) == ["Jan de Vries"]


def test_results_come_a_page_at_a_time_with_the_total(system):
    first = _search(system, "specialist", "vries", per_page=1).json()
    second = _search(system, "specialist", "vries", per_page=1, page=2).json()
    assert (first["total"], second["total"], first["page"], second["page"]) == (2, 2, 1, 2)
    assert [first["items"][0]["name"], second["items"][0]["name"]] == ["Anna de Vries", "Jan de Vries"]
    assert _search(system, "specialist", "vries", per_page=1, page=3).json()["items"] == []


@pytest.mark.parametrize("q, says", [("", "Type a name"), ("   ", "Type a name"), ("j", "at least 2 letters"),
                                     ("x" * 101, "at most 100 characters"), ("31-02-1980", "is not a date")])
def test_a_search_that_cannot_be_read_is_a_400_that_says_why(system, q, says):
    answer = _search(system, "intake_coordinator", q)
    assert answer.status_code == 400 and says in answer.json()["message"]
    assert answer.json()["message"].endswith(".")
    page = system.browser("intake_coordinator").get(f"{system.base}/ui/search", params={"q": q})
    assert page.status_code == 400 and says in page.text and 'id="q-error"' in page.text


def test_each_search_is_logged_with_what_was_searched_for_and_each_patient_shown_as_a_read(system, caplog):
    caplog.set_level(logging.INFO)                   # the application log as a run keeps it
    caplog.handler.addFilter(RequestLogFilter())
    query = "de Vries"
    assert len(_names(_search(system, "specialist", query))) == 2
    [entry] = system.logged(AccessLogEntry.action == "search_patients", AccessLogEntry.detail == query)
    assert (entry.role, entry.journey_id, entry.outcome, entry.path) == ("specialist", None, "allowed",
                                                                          "/api/patients")
    shown = system.logged(AccessLogEntry.action == "search_patients_result", AccessLogEntry.id > entry.id)
    assert {row.journey_id for row in shown} >= {system.people["jan"], system.people["anna"]}

    browser = system.browser("intake_coordinator")
    page = browser.get(f"{system.base}/ui/search", params={"q": "piet"})
    assert page.status_code == 200 and "Piet Jansen" in page.text and "1969-11-03" in page.text
    assert system.logged(AccessLogEntry.action == "ui_search", AccessLogEntry.detail == "piet")
    piet = system.people["piet"]
    link = f"/ui/journeys/{piet}?from=search"
    assert link in page.text and browser.get(system.base + link).status_code == 200
    [opened] = system.logged(AccessLogEntry.journey_id == piet, AccessLogEntry.action == "ui_timeline")
    assert (opened.role, opened.detail) == ("intake_coordinator", "opened from the patient search")
    assert "GET /ui/search?…" in caplog.text                                        # the page was logged,
    assert "piet" not in caplog.text.lower() and "vries" not in caplog.text.lower()   # not what was sought


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_only_the_roles_that_may_see_who_a_patient_is_search_or_see_names_on_the_board(system, role):
    may = role in NAME_READERS
    assert _search(system, role, "vries").status_code == (200 if may else 403)
    browser = system.browser(role)
    assert browser.get(f"{system.base}/ui/search", params={"q": "vries"}).status_code == (200 if may else 403)
    board = browser.get(f"{system.base}/ui/board", params={"per_page": 100})
    assert board.status_code == 200 and system.people["jan"][:8] in board.text
    assert ("Jan de Vries" in board.text) is may and ("Zoë Müller-Łaski" in board.text) is may
    assert ('action="/ui/search"' in board.text) is may
    listed = system.logged(AccessLogEntry.journey_id == system.people["jan"], AccessLogEntry.role == role,
                           AccessLogEntry.action == "ui_board")
    assert listed and listed[-1].detail == ("with names" if may else None)


def test_the_board_filters_by_stage_and_by_stall_and_counts_each_stall(system):
    browser = system.browser("planner")
    blocked = browser.get(f"{system.base}/ui/board", params={"stall": "scheduling_blocked"}).text
    assert system.blocked[:8] in blocked and system.people["jan"][:8] not in blocked
    assert "no surgery date fits since" in blocked and "no surgery date fits (1)" in blocked
    scheduling = browser.get(f"{system.base}/ui/board", params={"stage": "scheduling"}).text
    assert system.blocked[:8] in scheduling and "1 journey(s)" in scheduling
    screening = browser.get(f"{system.base}/ui/board", params={"stage": "screening", "stall": "any"}).text
    assert "0 journey(s)" in screening     # just enquired: none of them stalled yet
    for bad in ({"stage": "nowhere"}, {"stall": "bored"}, {"page": "0"}, {"per_page": "7"}):
        answer = browser.get(f"{system.base}/ui/board", params=bad)
        assert answer.status_code == 400 and "Bad request" in answer.text, bad


def test_the_board_comes_a_page_at_a_time_with_next_and_previous(system):
    for n in range(22):
        system.journey_of_facts(_enquired(n * timedelta(minutes=1)))
    browser = system.browser("finance")
    first = browser.get(f"{system.base}/ui/board").text
    total = int(first.split('id="total">')[1].split(" ")[0])
    assert total >= 27 and first.count('class="journey') == 25 and 'rel="next"' in first
    second = browser.get(f"{system.base}/ui/board", params={"page": 2}).text
    assert second.count('class="journey') == total - 25 and 'rel="prev"' in second
    assert 'rel="next"' not in second
    rows = [part.split('"')[0] for part in (first + second).split('data-journey="')[1:]]
    assert len(set(rows)) == total                   # every journey once, on one page or the other
    stalled = browser.get(f"{system.base}/ui/board?stall=any&per_page=25&page=1").text
    assert quote(system.blocked[:8]) in stalled
