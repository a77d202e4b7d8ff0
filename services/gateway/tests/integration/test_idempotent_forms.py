"""A staff form carries an idempotency key made when its page was rendered: a double click has one effect."""
import re
from datetime import UTC, datetime, timedelta

import eventlet
import requests

from services.gateway.tests.pages import signed_in
from services.journey.tests.conftest import login, publish
from services.journey.tests.story import new_journey, story
from shared.testing.infra import wait_for

_FIELD = re.compile(r'name="(csrf_token|idempotency_key)" value="([^"]+)"')


def test_an_erasure_form_sent_twice_at_once_asks_once_and_both_clicks_get_the_same_answer(stack, amqp_uri):
    base, _ = stack
    journey = new_journey()
    publish(amqp_uri, *(s.event for s in story(journey, datetime.now(UTC) - timedelta(days=2))[:2]))
    admin_api = login(base, "administrator")
    wait_for(lambda: requests.get(f"{base}/api/journeys/{journey}/timeline", headers=admin_api).json()
             .get("event_count") == 2)
    admin = signed_in(base, "administrator")
    form = dict(_FIELD.findall(admin.get(f"{base}/ui/journeys/{journey}").text))
    assert set(form) == {"csrf_token", "idempotency_key"}
    action = f"{base}/ui/journeys/{journey}/erasure"
    clicks = [eventlet.spawn(admin.post, action, data=form, allow_redirects=False) for _ in range(2)]
    answers = [click.wait() for click in clicks]
    assert [(a.status_code, a.headers["Location"]) for a in answers] == [(303, f"/ui/journeys/{journey}")] * 2
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    asked = requests.get(f"{base}/api/journeys/{journey}/erasure", headers=admin_api).json()
    assert len(asked) == 1
    # A new rendering of the page is a new form: sent, it is a second request (refused while the first waits).
    again = dict(_FIELD.findall(admin.get(f"{base}/ui/journeys/{journey}").text))
    assert again["idempotency_key"] != form["idempotency_key"]
    assert admin.post(action, data=again, allow_redirects=False).status_code == 409
