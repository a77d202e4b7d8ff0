from sandboxes.travel_agency.orders import OrderBook, Switches

PASSENGER = {"given_names": "Kari Anne", "surname": "Nordmann", "date_of_birth": "1980-06-15",
             "nationality": "NO"}
FLIGHT = {"client_reference": "b1", "traveller_ref": "j1", "kind": "flight", "part": "outbound",
          "origin": "LHR", "destination": "AMS", "departs_on": "2026-05-01", "passenger": PASSENGER}
HOTEL = {"client_reference": "b2", "traveller_ref": "j1", "kind": "hotel", "part": "hotel_stay",
         "check_in": "2026-05-08", "check_out": "2026-06-05", "passenger": PASSENGER}


def book_with(**switches):
    published = []
    return OrderBook(Switches(**switches), published.append), published


def test_a_repeated_idempotency_key_books_once_and_gets_the_same_answer():
    book, published = book_with()
    first = book.handle("book", None, "k1", FLIGHT)
    assert book.handle("book", None, "k1", FLIGHT) == first
    assert len(book.orders) == 1 and [e["type"] for e in published] == ["order.confirmed"]


def test_a_request_without_an_idempotency_key_is_refused():
    book, _ = book_with()
    assert book.handle("book", None, None, FLIGHT)[0] == 400


def test_a_refused_cancellation_can_succeed_when_tried_again_with_the_same_key():
    book, published = book_with()
    order_id = book.handle("book", None, "k1", FLIGHT)[1]["order_id"]
    book.switches.refuse_cancel = True
    assert book.handle("cancel", order_id, "k2", {})[0] == 409
    book.switches.refuse_cancel = False
    status, body = book.handle("cancel", order_id, "k2", {})
    assert (status, body["status"], body["fee_cents"]) == (200, "cancelled", 7500)
    assert [e["data"]["revision"] for e in published] == [1, 2]


def test_an_airline_schedule_change_moves_the_flight_and_is_announced_with_a_new_revision():
    book, published = book_with(schedule_change_days=2)
    book.handle("book", None, "k1", FLIGHT)
    assert [(e["type"], e["data"]["departs_on"], e["data"]["revision"]) for e in published] == [
        ("order.confirmed", "2026-05-01", 1), ("order.schedule_changed", "2026-05-03", 2)]


def test_an_order_without_its_passenger_is_refused_with_a_clear_error_and_books_nothing():
    book, published = book_with()
    without = {key: value for key, value in FLIGHT.items() if key != "passenger"}
    status, body = book.handle("book", None, "k1", without)
    assert (status, body["error"]) == (422, "passenger_required")
    assert "passport" in body["message"]
    half = dict(FLIGHT, passenger={"given_names": "Kari", "surname": " "})
    status, body = book.handle("book", None, "k2", half)
    assert (status, body["error"]) == (422, "passenger_required")
    assert body["message"].endswith("missing: surname, date_of_birth, nationality.")
    assert book.orders == {} and published == []


def test_the_agency_keeps_the_passenger_on_the_order_but_its_webhooks_do_not_carry_it():
    book, published = book_with()
    order_id = book.handle("book", None, "k1", FLIGHT)[1]["order_id"]
    assert book.orders[order_id]["passenger"] == PASSENGER
    assert all("passenger" not in event["data"] for event in published)


def test_a_hotel_can_shorten_a_stay_or_cancel_it_on_its_own_and_says_so_by_webhook():
    book, published = book_with()
    order_id = book.handle("book", None, "k1", HOTEL)[1]["order_id"]
    moved = book.schedule_change(order_id, 0, check_out_days=-3)
    assert (moved["check_in"], moved["check_out"]) == ("2026-05-08", "2026-06-02")
    book.supplier_cancellation(order_id)
    assert [(e["type"], e["data"]["revision"]) for e in published] == [
        ("order.confirmed", 1), ("order.schedule_changed", 2), ("order.cancelled", 3)]
    assert published[-1]["data"]["fee_cents"] == 0
