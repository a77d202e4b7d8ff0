"""The journey API: RPC input and output of the journey service, and the gateway's journey routes.

The service dumps its dates and instants to ISO strings; the gateway dumps the
same answer again through the same schema, so the date fields here pass an
ISO string through unchanged (and are documented as date / date-time).
"""
from marshmallow import Schema, fields, post_load, validate

from shared.contracts.api.fields import IsoDate, IsoDateTime
from shared.contracts.journey import STAGES, STALLS

# Requests

class JourneyBoardQuery(Schema):
    # None is "every stage": the gateway's own query (and its pages) pass it on as such.
    stage = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STAGES))
    stalled_only = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class JourneyBoardPageQuery(Schema):
    """One page of the board: of a stage (None: every stage), stalled for a reason (`any`: for any)."""
    stage = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(STAGES))
    stall = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("any", *STALLS)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class JourneyIds(Schema):
    journey_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(max=500))


class JourneyRef(Schema):
    """Which journey a call is about: any spelling of a UUID, loaded as its canonical string."""
    journey_id = fields.UUID(required=True)

    @post_load
    def canonical(self, data, **kwargs):
        return {"journey_id": str(data["journey_id"])}


class FhirPersonalDetails(Schema):
    """Name and contact details from enquiries, for the FHIR Patient (the journey holds none), and the
    screening questionnaire as enquiries shows it (status, definition, answers, submitted_at)."""
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    date_of_birth = fields.String(allow_none=True)
    questionnaire = fields.Dict(allow_none=True)


# Responses

class JourneyStall(Schema):
    reason = fields.String()
    since = IsoDate()


class JourneyBoardItem(Schema):
    journey_id = fields.String()
    kind = fields.String(allow_none=True)
    stage = fields.String()
    waiting_for = fields.List(fields.String())
    waiting_labels = fields.List(fields.String())
    stalled = fields.List(fields.Nested(JourneyStall))
    started_at = IsoDateTime()
    last_event_at = IsoDateTime()
    event_count = fields.Integer()
    payment_disputed = fields.Boolean(metadata={"description": "a payment is disputed: the money is on hold"})
    balance_due = IsoDate(allow_none=True, metadata={"description": "the unpaid balance's due date"})


class StallCount(Schema):
    reason = fields.String()
    journeys = fields.Integer()


class JourneyBoardPage(Schema):
    items = fields.List(fields.Nested(JourneyBoardItem))
    total = fields.Integer(metadata={"description": "journeys matching the stage and stall, on every page"})
    page = fields.Integer()
    per_page = fields.Integer()
    stall_counts = fields.List(fields.Nested(StallCount), metadata={
        "description": "how many journeys of the stage are stalled for each reason"})


class JourneyStage(Schema):
    journey_id = fields.String()
    stage = fields.String()


class JourneyTimelineEntry(Schema):
    position = fields.Integer()
    event_id = fields.String()
    type = fields.String()
    producer = fields.String()
    occurred_at = IsoDateTime()
    caused_by = fields.String(allow_none=True)
    caused_by_type = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    summary = fields.String()


class JourneyTimeline(JourneyBoardItem):
    entries = fields.List(fields.Nested(JourneyTimelineEntry))


class PatientAppointment(Schema):
    on = IsoDate()
    what = fields.String()
    past = fields.Boolean()


class PatientJourneyView(Schema):
    stage = fields.String()
    next_steps = fields.List(fields.String())
    appointments = fields.List(fields.Nested(PatientAppointment))


class ErasureAnswer(Schema):
    service = fields.String()
    erased = fields.Boolean()
    retained_reason = fields.String(allow_none=True)
    at = IsoDateTime()


class ErasureStatus(Schema):
    request_id = fields.String()
    journey_id = fields.String()
    requested_at = IsoDateTime()
    requested_by = fields.String()
    was_patient = fields.Boolean()
    status = fields.String(metadata={"description": "pending, erased, or retained (with reasons)"})
    awaiting = fields.List(fields.String())
    answers = fields.List(fields.Nested(ErasureAnswer))


class ProjectionRebuild(Schema):
    """What a rebuild of the projection went through."""
    journeys = fields.Integer()
    events = fields.Integer()
