"""My work's rules without a service: every role has an inbox of kinds that someone answers, every item
reads as a sentence and links to where it is done, and sections with overdue work come first."""
import re
from datetime import date

import eventlet
import pytest

from services.gateway.domain import work as rules
from services.gateway.domain.roles import STAFF_ROLES
from services.gateway.handlers import work as kept
from services.gateway.handlers.work_sources import SOURCES, SOURCES_OF
from shared import work

JOURNEY = "0b7c6a9e-4a43-4c0e-9a5e-3f2b1c9d8e7f"
SENTENCE = re.compile(r"^[A-Z].*[a-z0-9)]$")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_role_has_an_inbox_whose_every_kind_a_source_answers(role):
    kinds = rules.kinds_for(role)
    assert kinds and len(set(kinds)) == len(kinds)
    for kind in kinds:
        assert SOURCES_OF[kind] and all(name in SOURCES for name in SOURCES_OF[kind]), kind


@pytest.mark.parametrize("kind", sorted(rules.KINDS))
def test_every_item_reads_as_a_sentence_and_links_to_its_journey_or_its_own_page(kind):
    item = work.item(JOURNEY, reference="surgery/7" if kind == "dead_letter" else "r-1", code="on_hold",
                     count=2)
    section = rules.section(kind, {"total": 1, "items": [item]})
    shown = section["items"][0]
    assert SENTENCE.match(shown["what"]), shown["what"]
    if kind != "users_one_time_password":   # a username may have one
        assert "_" not in shown["what"].split("(")[0], shown["what"]
    link = shown["link"]
    assert link is None or link.startswith((f"/ui/journeys/{JOURNEY}#", f"/ui/journeys/{JOURNEY}/images/",
                                            "/ui/admin/users", "/ui/admin/operations#")), link


def test_a_section_whose_service_did_not_answer_says_which_and_comes_before_empty_ones():
    away = rules.section("travel_conflict", None, ["travel"])
    assert (away["available"], away["unavailable_from"], away["total"]) == (False, ["travel"], 0)
    empty = rules.section("travel_task", {"total": 0, "items": []})
    late = rules.section("messages_unread", {"total": 1, "items": [work.item(JOURNEY, overdue=True)]})
    assert [s["kind"] for s in rules.arranged([empty, away, late])] == [
        "messages_unread", "travel_conflict", "travel_task"]


def test_items_judged_at_the_gateway_are_overdue_first_then_due_then_oldest():
    a = work.item("a", since=None, due_on=None)
    b = work.item("b", overdue=True, due_at=None)
    c = work.item("c", due_on=date(2030, 1, 2))
    listed = work.listed("x", [a, c, b], 2)
    assert (listed["total"], [i["journey_id"] for i in listed["items"]]) == (3, ["b", "c"])


class _Gateway:
    """What the kept inbox reads of the gateway: its config."""
    def __init__(self, inbox_seconds: float):
        self.config = {"AMQP_URI": f"amqp://test/{id(self)}", "WEB_SERVER_ADDRESS": "127.0.0.1:0",
                       "GATEWAY": {"work_inbox_seconds": inbox_seconds}}


def test_one_gathering_serves_a_roles_requests_for_a_moment_and_those_that_arrive_meanwhile(monkeypatch):
    asked = []

    def gather(gateway, role, limit, with_names, seconds):
        asked.append(role)
        eventlet.sleep(0.05)   # the services answering
        return {"role": role, "total": len(asked), "capped": False, "sections": []}
    monkeypatch.setattr(kept, "gather", gather)
    gateway = _Gateway(inbox_seconds=0.3)
    first, second = (eventlet.spawn(kept.inbox, gateway, "planner") for _ in range(2))
    assert first.wait() is second.wait() and asked == ["planner"]
    assert kept.inbox(gateway, "planner")["total"] == 1 and kept.inbox(gateway, "finance")["total"] == 2
    eventlet.sleep(0.35)   # past its moment: the kept inbox is shown while the next is gathered behind it
    assert kept.inbox(gateway, "planner")["total"] == 1
    eventlet.sleep(0.1)
    assert kept.inbox(gateway, "planner")["total"] == 3 and asked == ["planner", "finance", "planner"]
