"""The passenger's identity as on the passport: recorded or corrected by staff, read by travel.

Enquiries owns it (the stage that holds a person's identity); travel asks for it
over RPC when it books, and the gateway's staff route records it.
"""
from marshmallow import Schema, fields, validate

from shared.contracts.api.enquiries.forms import COUNTRY
from shared.contracts.api.fields import IsoDate

NAME = validate.Length(min=1, max=200)


class PassengerIdentityForm(Schema):
    """What the travel desk or intake coordinator records, exactly as on the passport."""
    given_names = fields.String(required=True, validate=NAME)
    surname = fields.String(required=True, validate=NAME)
    nationality = fields.String(required=True, validate=COUNTRY,
                                metadata={"example": "NO", "description": "ISO 3166-1 alpha-2"})
    date_of_birth = fields.Date(load_default=None,
                                metadata={"description": "only to correct the enquiry's date of birth"})


class PassengerIdentityRecorded(Schema):
    """The answer to recording it: no identity in it, since answers are kept for replay (read it with GET)."""
    journey_id = fields.String()
    recorded = fields.Boolean()


class PassengerIdentityView(Schema):
    given_names = fields.String()
    surname = fields.String()
    date_of_birth = IsoDate()
    nationality = fields.String()
