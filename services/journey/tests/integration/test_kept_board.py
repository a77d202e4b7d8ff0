"""The board each journey process keeps: a page read after a write shows that write, as a fresh judgement
of every journey would, and a rebuild is judged again."""
from services.journey.handlers import board, projection, views
from services.journey.settings import parse
from services.journey.tests.integration.test_projection import START
from services.journey.tests.story import new_journey, story
from shared.clock import clinic_clock
from shared.config import load_config
from shared.db import UnitOfWork


def _record(store, steps) -> None:
    for step in steps:
        projection.record_fact(UnitOfWork(store, "journey", lambda: None, event=step.event,
                                          consumer="journey.kept_board_test"), step.event, CLOCK)


def _page(store, stage=None, stall=None) -> dict:
    return views.board_page(UnitOfWork(store, "journey", lambda: None), SETTINGS, CLOCK, stage, stall, 1, 100)


def _fresh(store, stage=None, stall=None) -> dict:
    board._KEPT.clear()
    return _page(store, stage, stall)


CONFIG = load_config()
SETTINGS, CLOCK = parse(CONFIG), clinic_clock(CONFIG)


def test_a_page_read_after_a_write_shows_it_as_a_fresh_judgement_of_every_journey_would(journey_db):
    first, second = new_journey(), new_journey()
    first_steps, second_steps = story(first, START), story(second, START)
    _record(journey_db, first_steps[:3] + second_steps[:6])
    kept = _page(journey_db)
    assert {item["journey_id"] for item in kept["items"]} >= {first, second}
    for done, cut in ((3, 5), (5, 12), (12, len(first_steps))):   # the first journey moves on
        _record(journey_db, first_steps[done:cut])
        seen = {item["journey_id"]: item for item in _page(journey_db)["items"]}
        assert seen[first]["stage"] == first_steps[cut - 1].stage
        assert seen[first]["event_count"] == cut
        assert _page(journey_db) == _fresh(journey_db)
    for stage in {step.stage for step in first_steps + second_steps}:
        assert _page(journey_db, stage=stage) == _fresh(journey_db, stage=stage)
    assert _page(journey_db, stall="any") == _fresh(journey_db, stall="any")
    before = _page(journey_db)
    projection.rebuild(journey_db)   # a new generation: everything judged again, to the same page
    assert _page(journey_db) == before
