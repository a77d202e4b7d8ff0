"""The questionnaire in the patient portal, over HTTP: a part at a time, saved on the server, resumed on
another device, a wrong answer named beside its question, and a double click on Send one submission."""
import re

import eventlet
import pytest

from services.enquiries.tests.integration.helpers import (
    ANSWERS,
    Client,
    events_of,
    ok,
    screen_to_the_questionnaire,
    submitted,
    suitability,
)
from shared.consumers import rpc
from shared.testing.cluster import Cluster, service_config

HOME = "/p/questionnaire"
_FIELD = re.compile(r'name="(csrf_token|idempotency_key)" value="([^"]+)"')
SECTIONS = {"prosthetic_use": ["pu_current_use", "pu_days_per_week", "pu_hours_per_day", "pu_knee_type",
                               "pu_donning"],
            "mobility": ["mob_walking_distance", "mob_walking_aids", "mob_stairs", "mob_uneven_ground",
                         "mob_falls"],
            "problems": ["prob_socket_fit", "prob_skin", "prob_sweating", "prob_limb_pain",
                         "prob_phantom_pain", "prob_other"],
            "global_health": ["gh_overall", "gh_quality_of_life", "gh_expectations"]}


class KnownJourneys:
    """Stands in for the journey service, which the gateway asks whether a journey exists before it
    issues a personal link (the portal's link, as the clinic's emails carry it)."""
    name = "journey"

    @rpc
    def timeline(self, journey_id):
        return {"journey_id": journey_id, "entries": []}


@pytest.fixture(scope="module")
def journeys(stack):
    cluster = Cluster(stack.amqp_uri)
    cluster.start(KnownJourneys, service_config(stack.amqp_uri, {}))
    yield
    cluster.stop_all()


def personal_link(staff, journey: str) -> str:
    return ok(staff("intake_coordinator").post(f"/api/journeys/{journey}/patient-link", json={}))["token"]


def handed_in(tap, journey: str) -> list[dict]:
    """The questionnaire steps completed for the journey, as announced so far (the tap keeps them all)."""
    return [e for e in tap.drain() if e["journey_id"] == journey and e["type"] == "screening_step_completed"
            and e["payload"]["step"] == "questionnaire"]


def device(stack, token: str) -> Client:
    """A browser that opened the personal link: its session cookie, nothing else."""
    browser = Client(stack.base)
    opened = browser.get(f"/ui/patient?token={token}", allow_redirects=False)
    assert opened.status_code == 303, opened.text
    return browser


def form_of(browser: Client, path: str) -> dict:
    page = browser.get(path)
    assert page.status_code == 200, page.text
    return dict(_FIELD.findall(page.text))


def as_form(question_ids: list[str], answers: dict) -> dict:
    form = {}
    for qid in question_ids:
        value = answers.get(qid)
        if isinstance(value, bool):
            form[qid] = "yes" if value else "no"
        elif value is not None:
            form[qid] = value
    return form


def save(browser: Client, section: str, answers: dict, then: str = "next"):
    path = f"{HOME}/{section}"
    data = {**form_of(browser, path), **as_form(SECTIONS[section], answers), "then": then}
    return browser.post(path, data=data, allow_redirects=False)


def test_the_questionnaire_is_saved_part_by_part_resumed_elsewhere_and_sent_once(stack, public, staff, tap,
                                                                               journeys):
    journey = submitted(public, suitability())["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    ok(staff("intake_coordinator").post(f"/api/enquiries/{journey}/questionnaire/link"))   # opened for them
    token = personal_link(staff, journey)
    phone = device(stack, token)
    first = phone.get(f"{HOME}/prosthetic_use")
    for shown in ('type="radio" name="pu_current_use" value="yes_daily"', "Yes, every day",
                  'type="number" id="pu_days_per_week"', 'min="0" max="7"', "not hard at all",
                  'for="pu_days_per_week"', "<legend>"):
        assert shown in first.text, shown

    wrong = save(phone, "prosthetic_use", dict(ANSWERS, pu_days_per_week=9))
    assert wrong.status_code == 422
    assert 'id="pu_days_per_week-error"' in wrong.text and "from 0 to 7" in wrong.text
    assert 'aria-describedby="pu_days_per_week-error"' in wrong.text
    kept = ok(staff("intake_coordinator").get(f"/api/enquiries/{journey}/questionnaire"), 200)
    assert kept["answers"] == {}                                     # nothing of the refused part saved

    saved = save(phone, "prosthetic_use", ANSWERS)
    assert (saved.status_code, saved.headers["Location"]) == (303, f"{HOME}/mobility")
    assert save(phone, "mobility", ANSWERS, then="stay").status_code == 303

    laptop = device(stack, token)   # another device: only the server knows what was answered
    overview = laptop.get(HOME).text
    assert f'id="resume" href="{HOME}/problems"' in overview   # continue where they left off
    assert re.search(r'value="one_stick"\s+checked', laptop.get(f"{HOME}/mobility").text)
    for section in ("problems", "global_health"):
        assert save(laptop, section, ANSWERS).status_code == 303

    stale = form_of(phone, HOME)     # the phone still shows the Send button
    send = form_of(laptop, HOME)
    clicks = [eventlet.spawn(laptop.post, f"{HOME}/submit", data=send, allow_redirects=False)
              for _ in range(2)]
    answers = [click.wait() for click in clicks]
    assert [a.status_code for a in answers] == [303, 303]
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    events_of(tap, journey, "screening_step_completed")
    eventlet.sleep(0.3)   # a second submission would have been announced by now (woken on commit)
    assert len(handed_in(tap, journey)) == 1
    assert "your questionnaire has been sent" in phone.get(HOME).text
    again = phone.post(f"{HOME}/submit", data=stale, allow_redirects=False)
    assert again.status_code == 303   # sent already, from the other device: told so, nothing happens
    eventlet.sleep(0.2)
    assert len(handed_in(tap, journey)) == 1


def test_a_link_for_the_questionnaire_only_opens_the_questionnaire_and_nothing_else(stack, public, staff):
    journey = submitted(public, suitability())["journey_id"]
    screen_to_the_questionnaire(staff, journey)
    token = ok(staff("intake_coordinator").post(f"/api/enquiries/{journey}/questionnaire/link"))["token"]
    phone = device(stack, token)
    assert phone.get(HOME).status_code == 200
    assert save(phone, "prosthetic_use", ANSWERS).status_code == 303
    assert phone.get("/p/journey").status_code == 403
