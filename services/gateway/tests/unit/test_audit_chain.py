"""The access log's hash chain, without a database: what verification names."""
from datetime import UTC, datetime

from services.gateway.domain.audit_chain import GENESIS, chain, seal_detail, verify
from services.gateway.domain.audit_export import as_csv, audit_event
from services.gateway.domain.credentials import Principal
from services.gateway.handlers.access_log import _entry


def entries(count: int) -> tuple[list[dict], int, str]:
    rows = []
    for n in range(count):
        nonce, digest = seal_detail("muller" if n == 2 else None)
        rows.append(dict(at=datetime(2026, 1, 1, 9, n, tzinfo=UTC), actor="staff:1", role="specialist",
                         on_behalf_of=None, journey_id="j-1", action="timeline", method="GET",
                         path="/api/x", outcome="allowed", status=200, credential=None,
                         detail="muller" if n == 2 else None, detail_nonce=nonce, detail_digest=digest))
    last_id, last_hash = chain(rows, 0, GENESIS)
    return rows, last_id, last_hash


def problems(rows, last_id, last_hash) -> list[tuple[int, str]]:
    return [(f.entry_id, f.problem) for f in verify(rows, last_id, last_hash)[1]]


def test_an_untouched_chain_is_intact():
    assert problems(*entries(5)) == []


def test_an_altered_entry_is_named():
    rows, last_id, last_hash = entries(5)
    rows[3]["actor"] = "staff:2"
    assert problems(rows, last_id, last_hash) == [(4, "altered")]


def test_an_entry_altered_and_rehashed_is_named_by_the_broken_link_after_it():
    rows, last_id, last_hash = entries(5)
    rows[1]["outcome"] = "denied"
    chain([rows[1]], 1, rows[0]["hash"])
    assert problems(rows, last_id, last_hash) == [(2, "replaced")]


def test_a_deleted_entry_and_entries_cut_from_the_end_are_named_missing():
    rows, last_id, last_hash = entries(6)
    assert problems(rows[:2] + rows[3:4], last_id, last_hash) == [(3, "missing"), (5, "missing"),
                                                                  (6, "missing")]


def test_a_blanked_detail_keeps_the_chain_but_a_changed_one_is_named():
    rows, last_id, last_hash = entries(4)
    rows[2]["detail"] = rows[2]["detail_nonce"] = None
    assert problems(rows, last_id, last_hash) == []
    rows, last_id, last_hash = entries(4)
    rows[2]["detail"] = "someone else"
    assert problems(rows, last_id, last_hash) == [(3, "detail_altered")]


def test_a_patient_using_their_link_acts_on_their_own_behalf():
    patient = Principal(subject="link", role="patient", journey_id="j-9", kind="patient", credential="abc")
    entry = _entry(patient, "j-9", "my_journey", "GET", "/api/x", "allowed", 200, None, None)
    assert entry["on_behalf_of"] == "patient:j-9"
    assert entry["credential"] == "link:abc"


def test_an_export_carries_each_entry_with_its_links_and_no_spreadsheet_formula():
    rows, _, _ = entries(3)
    rows[0]["actor"] = "=cmd()"
    text = as_csv(rows)
    assert text.splitlines()[1].split(",")[2] == "'=cmd()"
    assert rows[2]["hash"] in text
    event = audit_event({**rows[1], "on_behalf_of": "patient:j-1"})
    assert event["action"] == "R" and event["entity"][0]["what"]["reference"] == "Patient/j-1"
    assert event["agent"][1]["who"]["identifier"]["value"] == "patient:j-1"
