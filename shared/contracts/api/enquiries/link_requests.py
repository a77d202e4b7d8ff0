"""A new personal link asked for by email address (the portal's new-link page): the gateway reads the
form with it, and enquiries' `request_patient_link` RPC loads it. Nothing answers whether it is known."""
from marshmallow import Schema, fields, pre_load, validate


class LinkRequest(Schema):
    """The address the patient gave, compared without case or surrounding spaces."""
    email = fields.Email(required=True, validate=validate.Length(max=254))

    @pre_load
    def normalise(self, data, **_):
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            data = dict(data, email=data["email"].strip().lower())
        return data
