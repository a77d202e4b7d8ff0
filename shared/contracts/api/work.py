"""My work: what waits for a staff role, as each owning service answers it over RPC (`work_queues`) and as
the gateway shows it (GET /api/work, /ui/work). A service answers per kind of work a count and its most
urgent items: ids, codes and dates only; the gateway words them, adds names for the roles that may see
them, and links each to where it is done."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDate, IsoDateTime

MAX_ITEMS = 100


# Requests (gateway -> service)

class WorkQuery(Schema):
    """The kinds of waiting work asked for (each service names its own), and how many items of each."""
    kinds = fields.List(fields.String(validate=validate.Length(min=1, max=60)), required=True,
                        validate=validate.Length(min=1, max=20))
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_ITEMS))
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40), metadata={
        "description": "whose work, for the kinds that depend on the role (patients' messages to it)"})
    ahead_days = fields.Integer(load_default=7, validate=validate.Range(min=0, max=60), metadata={
        "description": "appointments, checks and check-ups this many days ahead are already waiting"})


# Responses (service -> gateway)

class WorkItem(Schema):
    """One thing waiting. `code` says which of its kind (a step, an outcome, a conflict code);
    `reference` names the thing itself (an image, appointment, task, escalation)."""
    journey_id = fields.String(allow_none=True)
    reference = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    count = fields.Integer(allow_none=True, metadata={"description": "how many, where the kind counts"})
    since = IsoDateTime(allow_none=True, metadata={"description": "when it began to wait"})
    due_at = IsoDateTime(allow_none=True, metadata={"description": "when it is due, to the minute"})
    due_on = IsoDate(allow_none=True, metadata={"description": "the day it is due"})
    overdue = fields.Boolean()


class WorkQueue(Schema):
    kind = fields.String()
    total = fields.Integer(metadata={"description": "how many are waiting; `items` holds the first"})
    capped = fields.Boolean(load_default=False, metadata={
        "description": "true: at least `total` are waiting (counting stops there)"})
    items = fields.List(fields.Nested(WorkItem))


class WorkQueues(Schema):
    queues = fields.List(fields.Nested(WorkQueue))


# The gateway's answer (GET /api/work)

class WorkItemView(WorkItem):
    kind = fields.String()
    what = fields.String(metadata={"description": "what is to be done, in a sentence"})
    name = fields.String(allow_none=True, metadata={
        "description": "the patient's name, for the roles that may see who a patient is"})
    link = fields.String(allow_none=True, metadata={
        "description": "where it is done: the journey's page with a fragment naming the action, "
                       "or the thing's own page"})


class WorkSectionView(Schema):
    kind = fields.String()
    title = fields.String()
    total = fields.Integer()
    capped = fields.Boolean(metadata={"description": "true: at least `total` are waiting"})
    overdue = fields.Integer(metadata={"description": "how many of the items shown are overdue"})
    available = fields.Boolean(metadata={"description": "false: a service could not be asked just now"})
    unavailable_from = fields.List(fields.String(), metadata={
        "description": "the services that did not answer"})
    items = fields.List(fields.Nested(WorkItemView))


class WorkInboxView(Schema):
    """Everything waiting for the signed-in role, one section per kind, the most urgent first."""
    role = fields.String()
    total = fields.Integer()
    capped = fields.Boolean(metadata={"description": "true: at least `total` are waiting"})
    names_shown = fields.Boolean()
    sections = fields.List(fields.Nested(WorkSectionView))
