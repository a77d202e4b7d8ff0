from datetime import UTC, date, datetime

from services.travel.domain import itinerary
from shared.contracts.api import travel as api


def test_the_api_names_the_same_parts_as_the_domain():
    assert api.PARTS == itinerary.PARTS


def test_a_view_dumped_by_the_service_dumps_the_same_again_at_the_gateway():
    task = {"id": 1, "journey_id": "j", "itinerary_id": "i", "kind": "task", "code": "c", "part": None,
            "details": {}, "status": "open", "opened_at": datetime(2026, 5, 1, 9, tzinfo=UTC)}
    moved = {"itinerary_id": "i", "departure_date": date(2026, 6, 6)}
    once = api.TravelDeskTaskView().dump(task), api.ReturnMoved().dump(moved)
    twice = api.TravelDeskTaskView().dump(once[0]), api.ReturnMoved().dump(once[1])
    assert once == twice and once[1]["departure_date"] == "2026-06-06"
