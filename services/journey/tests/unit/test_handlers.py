from nameko.events import EventHandler
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR

from services.journey.domain import catalogue
from services.journey.service import JourneyService


def _handled() -> list[tuple[str, str]]:
    return [(entrypoint.source_service, entrypoint.event_type)
            for method in vars(JourneyService).values()
            for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ())
            if isinstance(entrypoint, EventHandler)]


def test_the_service_has_one_handler_for_every_event_in_the_contracts_and_no_other():
    handled = _handled()
    assert len(handled) == len(set(handled))
    assert sorted(handled) == catalogue.consumed()


def test_each_handler_is_named_for_the_event_it_handles():
    for name, method in vars(JourneyService).items():
        for entrypoint in getattr(method, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, EventHandler):
                assert name.endswith(f"_{entrypoint.event_type}"), name
