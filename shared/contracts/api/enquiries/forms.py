"""The three public enquiry forms, loaded strictly (no guessing at types) by the gateway and the service."""
from marshmallow import Schema, fields, validate

from shared.contracts.enquiries import AMPUTATION_LEVELS, AMPUTATION_SIDES, SMOKING_STATUSES
from shared.errors import Invalid

MUST_AGREE = validate.Equal(True, error="consent is required to handle your enquiry")
COUNTRY = validate.Regexp(r"^[A-Z]{2}$", error="an ISO 3166 country code, e.g. DE")
LANGUAGE = validate.Regexp(r"^[a-z]{2,3}(-[A-Z]{2})?$", error="a language code, e.g. en or pt-BR")
PHONE = validate.Regexp(r"^\+?[0-9][0-9 ()-]{5,24}$", error="a phone number, e.g. +49 30 1234567")


def strict_bool(**kwargs) -> fields.Boolean:
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def one_of(choices, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **kwargs)


class BrochureEnquiry(Schema):
    """Contact details and consent: all a brochure request needs."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    country = fields.String(required=True, validate=COUNTRY, metadata={"example": "DE"})
    preferred_language = fields.String(required=True, validate=LANGUAGE, metadata={"example": "en"})
    privacy_consent = strict_bool(required=True, validate=MUST_AGREE)
    marketing_consent = strict_bool(load_default=False)
    # Which consent text the person read, and in which language (the record of what they agreed to).
    consent_text_version = text(40, load_default=None, allow_none=True,
                                metadata={"description": "version of the consent text shown, e.g. 2026-01"})
    consent_language = fields.String(load_default=None, allow_none=True, validate=LANGUAGE,
                                     metadata={"description": "language of the consent text shown"})


class HealthEnquiry(BrochureEnquiry):
    phone = fields.String(required=True, validate=PHONE, metadata={"example": "+49 30 1234567"})
    health_data_consent = strict_bool(required=True, validate=MUST_AGREE,
                                      metadata={"description": "explicit consent to process health data"})


class SuitabilityEnquiry(HealthEnquiry):
    date_of_birth = fields.Date(required=True)
    amputation_level = one_of(AMPUTATION_LEVELS, required=True)
    amputation_side = one_of(AMPUTATION_SIDES, required=True)
    years_since_amputation = fields.Integer(required=True, strict=True, validate=validate.Range(0, 110))
    prosthesis_complaints = text(4000, load_default=None, allow_none=True)
    smoking_status = one_of(SMOKING_STATUSES, required=True)
    smoking_stopped_on = fields.Date(load_default=None, allow_none=True)
    diabetes = strict_bool(required=True)
    circulatory_disease = strict_bool(required=True)
    other_conditions = text(4000, load_default=None, allow_none=True)
    body_weight_kg = fields.Decimal(required=True, places=1, as_string=True, validate=validate.Range(20, 350),
                                    metadata={"minimum": 20, "maximum": 350, "example": 74.5})
    # For the flights and the hotel: the name exactly as on the passport, and the nationality.
    # Optional here; the travel desk or intake coordinator records or corrects them later.
    passport_given_names = text(200, load_default=None, allow_none=True,
                                metadata={"description": "given names as on the passport"})
    passport_surname = text(200, load_default=None, allow_none=True,
                            metadata={"description": "surname as on the passport"})
    nationality = fields.String(load_default=None, allow_none=True, validate=COUNTRY,
                                metadata={"example": "NO", "description": "ISO 3166-1 alpha-2"})


class SecondOpinionEnquiry(HealthEnquiry):
    prosthesis_complaints = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    amputation_level = one_of(AMPUTATION_LEVELS, load_default=None, allow_none=True)
    preferred_date = fields.Date(load_default=None, allow_none=True)


ENQUIRY_FORMS: dict[str, type[Schema]] = {"suitability": SuitabilityEnquiry, "brochure": BrochureEnquiry,
                                          "second_opinion": SecondOpinionEnquiry}


def enquiry_form(kind: str) -> type[Schema]:
    """The form of a kind of enquiry; an unknown kind is the caller's error."""
    if kind not in ENQUIRY_FORMS:
        raise Invalid(f"unknown kind of enquiry {kind!r}", fields={"kind": list(ENQUIRY_FORMS)})
    return ENQUIRY_FORMS[kind]
