"""Consents as records: what staff and the patient read, and a withdrawal."""
from marshmallow import Schema, fields, validate

from shared.contracts.api.fields import IsoDateTime
from shared.contracts.enquiries import CONSENT_CHANNELS, CONSENT_PURPOSES

# Who may withdraw through which door: the gateway sets the channel, never the caller's body.
WITHDRAWABLE = ("health_data", "marketing")


class ConsentView(Schema):
    purpose = fields.String(required=True, validate=validate.OneOf(CONSENT_PURPOSES))
    text_version = fields.String(required=True, metadata={"description": "version of the text agreed to"})
    language = fields.String(required=True, metadata={"description": "language of the text agreed to"})
    channel = fields.String(required=True, validate=validate.OneOf(CONSENT_CHANNELS),
                            metadata={"description": "the form it was given through"})
    given_at = IsoDateTime(required=True)
    withdrawn_at = IsoDateTime(allow_none=True)
    withdrawn_via = fields.String(allow_none=True, validate=validate.OneOf(CONSENT_CHANNELS))


class ConsentWithdrawalForm(Schema):
    """What the staff API and the patient send: which consent is withdrawn."""
    purpose = fields.String(required=True, validate=validate.OneOf(WITHDRAWABLE))


class ConsentWithdrawal(Schema):
    """Which consent is withdrawn, and through which door (set by the gateway)."""
    purpose = fields.String(required=True, validate=validate.OneOf(WITHDRAWABLE))
    channel = fields.String(required=True, validate=validate.OneOf(CONSENT_CHANNELS))
