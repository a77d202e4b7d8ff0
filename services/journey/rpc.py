"""RPC adapters: validate the input, call the use case or query, dump JSON primitives."""
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from marshmallow import ValidationError

from services.journey import fhir, handlers, history, queries, schemas, settings
from shared import clock
from shared.errors import Invalid, NotFound

CLINIC_TZ = ZoneInfo("Europe/Amsterdam")


def today():
    """The clinic's date (or the simulated one): stalls are counted in its working days."""
    return clock.today(CLINIC_TZ)


def _load(schema, data: dict) -> dict:
    try:
        return schema().load(data)
    except ValidationError as exc:
        raise Invalid("invalid input", fields=exc.messages) from None


def _journey(journey_id) -> str:
    return str(_load(schemas.JourneyId, {"journey_id": journey_id})["journey_id"])


@contextmanager
def _reading(uow):
    """A read-only unit of work that sees the projection as of one moment."""
    with uow:
        history.snapshot(uow.session)
        yield uow.session


def board(uow, config: dict, **query) -> list[dict]:
    q = _load(schemas.BoardQuery, query)
    with _reading(uow) as session:
        items = queries.board(session, settings.load(config), today(), **q)
    return schemas.BoardItemSchema(many=True).dump(items)


def timeline(uow, config: dict, journey_id) -> dict:
    with _reading(uow) as session:
        found = queries.timeline(session, _journey(journey_id), settings.load(config), today())
    return schemas.TimelineSchema().dump(found)


def patient_view(uow, journey_id) -> dict:
    with _reading(uow) as session:
        view = queries.patient_view(session, _journey(journey_id), today())
    return schemas.PatientViewSchema().dump(view)


def export_fhir(uow, journey_id, personal: dict | None = None) -> dict:
    with _reading(uow) as session:
        projection = history.projection_of(session, _journey(journey_id))
    if projection is None:
        raise NotFound("no journey with this id", journey_id=str(journey_id))
    return fhir.bundle(projection, personal or {})


def request_erasure(uow, config: dict, journey_id) -> dict:
    found = handlers.request_erasure(uow, _journey(journey_id), settings.load(config))
    return schemas.ErasureStatusSchema().dump(found)


def erasure_requests(uow, config: dict, journey_id) -> list[dict]:
    with _reading(uow) as session:
        found = queries.erasure_requests(session, _journey(journey_id), settings.load(config))
    return schemas.ErasureStatusSchema(many=True).dump(found)
