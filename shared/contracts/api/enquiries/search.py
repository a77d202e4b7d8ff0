"""Finding a patient: the enquiries RPCs `search_patients` and `names_for`, and the gateway's
GET /api/patients, which answers the same items with each journey's stage beside them."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDate, IsoDateTime

MAX_PER_PAGE = 50
MAX_NAMES = 500   # journeys a list may ask names for at once (a board page is at most 100)


class PatientSearch(Schema):
    """The RPC's arguments; the query itself is read by enquiries (domain/search.py)."""
    query = fields.String(required=True, validate=validate.Length(max=1000))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class PatientSearchQuery(Schema):
    """GET /api/patients and /ui/search: what to look for, a page at a time."""
    q = fields.String(load_default="", metadata={
        "description": "a name (or part of it, any case and accents), an email, a date of birth "
                       "(1980-02-28 or 28-02-1980) or a journey id or its first characters"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class FoundPatient(Schema):
    journey_id = fields.String()
    name = fields.String(allow_none=True)
    date_of_birth = IsoDate(allow_none=True)
    country = fields.String()
    kind = fields.String()
    received_at = IsoDateTime()


class PatientSearchPage(Schema):
    items = fields.List(fields.Nested(FoundPatient))
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()


class FoundPatientWithStage(FoundPatient):
    stage = fields.String(allow_none=True, metadata={"description": "where the journey is (the board's)"})


class PatientSearchAnswer(Schema):
    """What the gateway answers: the page of people found, each with the journey's stage."""
    items = fields.List(fields.Nested(FoundPatientWithStage))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class JourneyNames(Schema):
    journey_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(max=MAX_NAMES))


class JourneyName(Schema):
    journey_id = fields.String()
    name = fields.String()
