from sandboxes.travel_agency.orders import OrderBook, Switches

FLIGHT = {"client_reference": "b1", "traveller_ref": "j1", "kind": "flight", "part": "outbound",
          "origin": "LHR", "destination": "AMS", "departs_on": "2026-05-01"}


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
