"""The three public enquiry forms, as the service loads them (strictly: no guessing at types)."""
from marshmallow import RAISE, Schema, fields, validate

from shared.contracts.enquiries import AMPUTATION_LEVELS, AMPUTATION_SIDES, SMOKING_STATUSES

MUST_AGREE = validate.Equal(True, error="consent is required to handle your enquiry")
COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error="an ISO 3166 country code, e.g. DE")
LANGUAGE = validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$", error="a language code, e.g. en or pt-BR")
PHONE = validate.Regexp(r"^\+?[0-9][0-9 ()-]{5,24}$", error="a phone number, e.g. +49 30 1234567")


def strict_bool(**kwargs) -> fields.Boolean:
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


class ContactForm(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    country = fields.String(required=True, validate=COUNTRY)
    preferred_language = fields.String(required=True, validate=LANGUAGE)
    privacy_consent = strict_bool(required=True, validate=MUST_AGREE)
    marketing_consent = strict_bool(load_default=False)


class BrochureForm(ContactForm):
    """Contact details and consent only."""


class HealthForm(ContactForm):
    phone = fields.String(required=True, validate=PHONE)
    health_data_consent = strict_bool(required=True, validate=MUST_AGREE)


class SuitabilityForm(HealthForm):
    date_of_birth = fields.Date(required=True)
    amputation_level = fields.String(required=True, validate=validate.OneOf(AMPUTATION_LEVELS))
    amputation_side = fields.String(required=True, validate=validate.OneOf(AMPUTATION_SIDES))
    years_since_amputation = fields.Integer(required=True, strict=True, validate=validate.Range(0, 110))
    prosthesis_complaints = text(4000, load_default=None, allow_none=True)
    smoking_status = fields.String(required=True, validate=validate.OneOf(SMOKING_STATUSES))
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)
    diabetes = strict_bool(required=True)
    circulatory_disease = strict_bool(required=True)
    other_conditions = text(4000, load_default=None, allow_none=True)
    body_weight_kg = fields.Decimal(required=True, places=1, as_string=True,
                                    validate=validate.Range(20, 350))


class SecondOpinionForm(HealthForm):
    prosthesis_complaints = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    amputation_level = fields.String(load_default=None, allow_none=True,
                                     validate=validate.OneOf(AMPUTATION_LEVELS))
    preferred_date = fields.Date(load_default=None, allow_none=True)


FORMS = {"suitability": SuitabilityForm, "brochure": BrochureForm, "second_opinion": SecondOpinionForm}
