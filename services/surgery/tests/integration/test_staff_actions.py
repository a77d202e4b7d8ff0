"""Planners and surgeons through the API: reschedule, cancel, the clinical stay, impossible orders."""
import uuid
from datetime import date, timedelta

import pytest
import requests

from services.gateway import models as gateway_models
from services.gateway.roles import STAFF_ROLES
from services.gateway.service import GatewayService
from services.gateway.staff import create_user
from services.surgery.settings import parse_settings
from services.surgery.tests.integration.support import (
    PAYMENT,
    accepted,
    event,
    outbox,
    publish,
    surgery_running,
    tapped,
    wait_handled,
)
from shared.db import Store
from shared.migrations import upgrade
from shared.testing.cluster import EventTap, web_url
from shared.testing.infra import free_port, wait_for

PASSWORD = "a long enough test password"
D = timedelta(days=1)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The gateway and the surgery service (one surgery a day, so one booking fills a day)."""
    gateway_db = f"sqlite:///{tmp_path_factory.mktemp('gateway')}/gateway.db"
    upgrade("gateway", gateway_db)
    users = Store(gateway_db, gateway_models.kernel)
    with users.session() as session:
        for role in STAFF_ROLES:
            create_user(session, role, PASSWORD, role)
    users.dispose()
    with surgery_running({"surgeries_per_day": 1}, gateway=gateway_db) as (cluster, config, store):
        gateway_config = dict(config, WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
        cluster.start(GatewayService, gateway_config)
        yield Api(web_url(gateway_config), config, store)


class Api:
    def __init__(self, base, config, store):
        self.base, self.config, self.store, self._tokens = base, config, store, {}

    def call(self, method, path, role="planner", **kwargs):
        if role not in self._tokens:
            login = {"username": role, "password": PASSWORD}
            response = requests.post(f"{self.base}/api/auth/token", json=login, timeout=30)
            self._tokens[role] = {"Authorization": "Bearer " + response.json()["access_token"]}
        return requests.request(method, f"{self.base}/api{path}", headers=self._tokens[role], timeout=30,
                                **kwargs)

    def case(self, journey):
        return self.call("GET", f"/journeys/{journey}/surgery").json()

    def scheduled_journey(self) -> str:
        journey = str(uuid.uuid4())
        facts = (event("enquiries", "patient_accepted", accepted(), journey),
                 event("payments", "deposit_paid", PAYMENT, journey))
        publish(self.config["AMQP_URI"], *facts)
        wait_handled(self.store, *facts)
        return journey

    def events(self, journey):
        return [(item["type"], item["payload"]) for item in outbox(self.store, journey)]


def test_a_planner_moves_a_surgery_with_a_reason_and_it_is_announced_once(api):
    journey = api.scheduled_journey()
    tap = EventTap(api.config["AMQP_URI"], "surgery")
    before = api.case(journey)["plan"]["surgery_date"]
    response = api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                        json={"reason_code": "surgeon_unavailable"})
    assert response.status_code == 200, response.text
    plan = response.json()["plan"]
    assert plan["surgery_date"] > before and plan["preop_check_date"] < plan["surgery_date"]
    [moved] = [payload for kind, payload in api.events(journey) if kind == "surgery_rescheduled"]
    assert moved["reason_code"] == "surgeon_unavailable" and moved["surgery_date"] == plan["surgery_date"]
    wait_for(lambda: tapped(tap, journey, "surgery_rescheduled"))
    assert len(tapped(tap, journey, "surgery_rescheduled")) == 1
    days = {day["date"]: day for day in api.call("GET", "/surgery/calendar", params={
        "start": before, "end": plan["surgery_date"]}).json()}
    assert journey in days[plan["surgery_date"]]["journeys"] and journey not in days[before]["journeys"]
    tap.close()


def test_a_date_that_breaks_a_constraint_is_refused_and_changes_nothing(api):
    journey = api.scheduled_journey()
    before, events = api.case(journey), api.events(journey)
    surgery = date.fromisoformat(before["plan"]["surgery_date"])
    sunday = surgery + (6 - surgery.weekday()) * D
    for asked, reason in ((sunday, "not_an_operating_day"), (date.today(), "travel_lead_time"),
                          (surgery, "unchanged")):
        response = api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                            json={"reason_code": "patient_request", "surgery_date": asked.isoformat()})
        assert response.status_code == 422
        assert response.json()["fields"]["surgery_date"] == [reason]
    assert api.case(journey) == before and api.events(journey) == events


def test_a_cancelled_surgery_is_announced_once_and_every_later_action_is_refused(api):
    journey = api.scheduled_journey()
    surgery_date = api.case(journey)["plan"]["surgery_date"]
    cancel = api.call("POST", f"/journeys/{journey}/surgery/cancel", json={"reason_code": "patient_withdrew"})
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    after, events = api.case(journey), api.events(journey)
    refused = [
        api.call("POST", f"/journeys/{journey}/surgery/cancel", json={"reason_code": "other"}),
        api.call("POST", f"/journeys/{journey}/surgery/reschedule", json={"reason_code": "patient_request"}),
        api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist", json={"fit": True}),
        api.call("POST", f"/journeys/{journey}/surgery/ward-discharge", role="specialist",
                 json={"discharged_on": surgery_date}),
    ]
    assert [r.status_code for r in refused] == [409] * 4
    assert "cancelled" in refused[1].json()["message"]
    assert api.case(journey) == after and api.events(journey) == events
    assert [kind for kind, _ in events].count("surgery_cancelled") == 1
    day = api.call("GET", "/surgery/calendar", params={"start": surgery_date, "end": surgery_date}).json()[0]
    assert journey not in day["journeys"]


def test_surgery_before_the_preop_check_or_discharge_before_surgery_is_refused(api):
    journey = api.scheduled_journey()
    before, events = api.case(journey), api.events(journey)
    surgery_date = date.fromisoformat(before["plan"]["surgery_date"])
    refused = [
        api.call("POST", f"/journeys/{journey}/surgery/operation", role="specialist",
                 json=_operation(surgery_date)),
        api.call("POST", f"/journeys/{journey}/surgery/ward-discharge", role="specialist",
                 json={"discharged_on": (surgery_date + 4 * D).isoformat()}),
        api.call("POST", f"/journeys/{journey}/surgery/ward-visits", role="specialist",
                 json={"visit_date": surgery_date.isoformat(), "slot": "morning", "note": "calm"}),
    ]
    assert [r.status_code for r in refused] == [409, 409, 409]
    assert api.case(journey) == before and api.events(journey) == events


def test_the_clinical_stay_runs_from_the_preop_check_to_the_hotel(api):
    journey = api.scheduled_journey()
    plan = api.case(journey)["plan"]
    surgery = date.fromisoformat(plan["surgery_date"])
    post = lambda path, body: api.call("POST", f"/journeys/{journey}/surgery/{path}", role="specialist",  # noqa: E731
                                       json=body)
    assert post("preop-check", {"fit": True}).json()["status"] == "ready_for_surgery"
    assert post("operation", _operation(surgery, complications=["bleeding"])).json()["status"] == "in_ward"
    for slot in ("morning", "evening"):
        assert post("ward-visits", {"visit_date": surgery.isoformat(), "slot": slot, "note": "stoma calm"}
                    ).status_code == 201
    assert post("ward-visits", {"visit_date": surgery.isoformat(), "slot": "morning", "note": "again"}
                ).status_code == 409
    no_image = post("ward-discharge", {"discharged_on": (surgery + 4 * D).isoformat()})
    assert no_image.status_code == 409 and "image" in no_image.json()["message"]
    assert post("images", {"reference": "PACS:ACC-123", "taken_on": surgery.isoformat()}).status_code == 201
    assert post("ward-discharge", {"discharged_on": (surgery + 2 * D).isoformat()}).status_code == 422
    discharged = post("ward-discharge", {"discharged_on": (surgery + 4 * D).isoformat()})
    assert discharged.status_code == 200 and discharged.json()["status"] == "discharged"
    case = discharged.json()
    assert case["operation"]["implant_lot"] == "LOT-42" and len(case["ward_visits"]) == 2
    events = dict(api.events(journey))
    assert events["preop_check_recorded"]["fit"] is True
    assert events["surgery_performed"]["implant_serial"] == "SN-0001"
    assert events["surgery_performed"]["complications"] == ["bleeding"]
    assert events["ward_discharged"] == {
        "surgery_id": case["surgery_id"], "discharged_on": (surgery + 4 * D).isoformat(),
        "planned_rehab_end": plan["planned_rehab_end"], "departure_date": plan["departure_date"]}
    assert "stoma calm" not in str(api.events(journey))      # notes stay in the clinical record


def test_a_patient_found_not_fit_is_postponed_and_rescheduled(api):
    journey = api.scheduled_journey()
    checked_on = date.fromisoformat(api.case(journey)["plan"]["preop_check_date"])
    response = api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                        json={"fit": False, "reason_code": "infection", "note": "raised CRP"})
    assert response.status_code == 200 and response.json()["status"] == "scheduled"
    new_date = date.fromisoformat(response.json()["plan"]["surgery_date"])
    assert new_date >= checked_on + parse_settings(api.config).not_fit_postpone_days * D
    kinds = [(kind, payload.get("reason_code")) for kind, payload in api.events(journey)]
    assert kinds[-2:] == [("preop_check_recorded", "infection"),
                          ("surgery_rescheduled", "not_fit_for_surgery")]


def test_the_operating_calendar_shows_booked_free_and_closed_days(api):
    journey = api.scheduled_journey()
    day = api.case(journey)["plan"]["surgery_date"]
    calendar = {d["date"]: d for d in api.call("GET", "/surgery/calendar", params={
        "start": day, "end": (date.fromisoformat(day) + 7 * D).isoformat()}).json()}
    assert calendar[day]["status"] == "booked" and journey in calendar[day]["journeys"]
    assert {d["status"] for d in calendar.values()} >= {"booked", "closed"}
    kings_day = api.call("GET", "/surgery/calendar", params={"start": "2027-04-26", "end": "2027-04-29"},
                         role="specialist").json()
    assert [(d["status"], d["closed_reason"]) for d in kings_day] == [
        ("free", None), ("closed", "closed_day"), ("free", None), ("free", None)]
    too_long = api.call("GET", "/surgery/calendar", params={"start": "2027-01-01", "end": "2028-06-01"})
    assert too_long.status_code == 422


def test_only_planners_and_surgeons_act_and_bad_input_is_refused(api):
    journey = api.scheduled_journey()
    assert api.call("GET", f"/journeys/{journey}/surgery", role="finance").status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/reschedule", role="physiotherapist",
                    json={"reason_code": "other"}).status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="planner",
                    json={"fit": True}).status_code == 403
    assert api.call("POST", f"/journeys/{journey}/surgery/reschedule",
                    json={"reason_code": "because_i_said_so"}).status_code == 422
    assert api.call("POST", f"/journeys/{journey}/surgery/preop-check", role="specialist",
                    json={"fit": False}).status_code == 422
    assert api.call("GET", f"/journeys/{uuid.uuid4()}/surgery").status_code == 404
    assert api.case(journey)["status"] == "scheduled"


def _operation(day: date, complications=()):
    return {"performed_on": day.isoformat(), "side": "left", "implant_type": "OPRA", "implant_size": "16mm",
            "implant_lot": "LOT-42", "implant_serial": "SN-0001", "complications": list(complications)}
