"""The journey page's table of actions is the route table's: every action names one route, each of its
path parameters is chosen from a list its own roles may read, every field of its schema has an input; and
what is typed becomes the JSON the route loads, with the route's messages back beside their fields."""
import re
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from services.gateway.adapters.pages import action_forms as forms
from services.gateway.adapters.pages import actions
from services.gateway.adapters.routing import STATE_CHANGING, load_routes
from shared.contracts.api.surgery import SurgeryOperation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("action", actions.ACTIONS, ids=lambda a: a.name)
def test_an_action_is_a_state_changing_route_whose_choices_its_roles_may_read(action):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", action.name)
    assert action.route.method in STATE_CHANGING and action.roles
    inputs = forms.schema_fields(action.route.body, skip=action.fixed, labels=action.labels)
    assert inputs or action.params, "a form with nothing to fill in"
    assert set(action.fixed) <= set(action.route.body().fields) if action.fixed else True
    for name in action.params:
        assert name in action.choices, f"{action.name}: where do the choices of {name} come from?"
    for name, source in action.choices.items():
        assert name in action.params or name in {f.name for f in inputs}, name
        reader = next(r for r in load_routes() if r.name == source.route and r.method == "GET")
        assert action.roles <= reader.roles, f"{action.name}: not every role of it may read {source.route}"


def test_every_action_has_a_name_of_its_own():
    assert len(actions.BY_NAME) == len(actions.ACTIONS)


def test_the_operation_form_has_a_set_of_inputs_per_side_and_only_the_first_is_required():
    inputs = {f.name: f for f in forms.schema_fields(SurgeryOperation)}
    assert inputs["sides.0.implant_lot"].required and not inputs["sides.1.implant_lot"].required
    assert inputs["sides.0.side"].choices == (("left", "Left"), ("right", "Right"))
    assert inputs["sides.0.complications"].kind == "checkboxes" and inputs["performed_on"].kind == "date"


def test_what_was_typed_becomes_the_json_the_route_loads():
    inputs = forms.schema_fields(SurgeryOperation)
    sent = MultiDict([("performed_on", "2031-05-02"), ("sides.0.side", "left"),
                      ("sides.0.implant_type", "OPRA"), ("sides.0.implant_size", "16 mm"),
                      ("sides.0.implant_lot", "L-1"), ("sides.0.complications", "bleeding"),
                      ("sides.0.complications", "wound"),
                      ("sides.1.implant_serial", "")])
    typed = forms.typed(sent, inputs)
    assert forms.body_of(typed, inputs, AMSTERDAM) == {"performed_on": "2031-05-02", "sides": [{
        "side": "left", "implant_type": "OPRA", "implant_size": "16 mm", "implant_lot": "L-1",
        "complications": ["bleeding", "wound"]}]}


@pytest.mark.parametrize(("typed", "sent"), [
    ("20000", 2_000_000), ("20,000.50", 2_000_050), ("20.000,50", 2_000_050), ("199,5", 19_950),
    ("€ 12", 1200), ("12.345", "12.345"), ("twelve", "twelve"), ("Infinity", "Infinity")])
def test_euros_are_sent_as_whole_cents_and_anything_else_as_typed(typed, sent):
    money = forms.Field("amount_cents", "Amount (EUR)", "money", True)
    assert forms.body_of({"amount_cents": typed}, [money], AMSTERDAM) == {"amount_cents": sent}


def test_a_time_typed_at_the_clinic_is_sent_with_its_offset_and_a_yes_or_no_as_a_boolean():
    when = forms.Field("scheduled_at", "When", "datetime", True)
    fit = forms.Field("fit", "Result", "select", True, (("true", "Fit"), ("false", "Not fit")))
    count = forms.Field("pain_score", "Pain", "number")
    body = forms.body_of({"scheduled_at": "2031-07-01T09:15", "fit": "false", "pain_score": "3"},
                         [when, fit, count], AMSTERDAM)
    assert body == {"scheduled_at": "2031-07-01T09:15:00+02:00", "fit": False, "pain_score": 3}
    assert forms.body_of({"pain_score": "3.5", "fit": ""}, [count, fit], AMSTERDAM) == {"pain_score": "3.5"}


def test_the_routes_messages_go_beside_their_fields_and_the_rest_to_the_top_of_the_form():
    inputs = forms.schema_fields(SurgeryOperation)
    answer = {"message": "The request has invalid fields.", "fields": {
        "sides": {"0": {"implant_lot": ["Missing data for required field."]}},
        "_schema": ["each side is recorded once"], "surgery_id": ["Unknown field."]}}
    found = forms.errors_by_field(answer, inputs)
    assert found["sides.0.implant_lot"] == "Missing data for required field."
    assert found[forms.FORM_LEVEL] == ("The request has invalid fields. Each side is recorded once. "
                                       "Unknown field.")
