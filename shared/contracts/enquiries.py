"""Events produced by the enquiries service."""
from marshmallow import Schema, fields, validate

from shared.events import contract

KINDS = ("suitability", "brochure", "second_opinion")
OUTCOMES = ("passed", "on_hold", "waitlisted", "declined")
# Vocabularies shared by the public form (gateway) and the enquiries service.
AMPUTATION_LEVELS = ("transfemoral", "knee_disarticulation", "transtibial", "hip_disarticulation",
                     "transhumeral", "transradial", "hand", "finger")
AMPUTATION_SIDES = ("left", "right", "both")
SMOKING_STATUSES = ("never", "current", "stopped")
# Screening, in the order the clinic runs it (JOURNEY.md stage 1).
SCREENING_STEPS = ("outpatient_invitation", "consultation", "psychologist_call",
                   "specialist_introduction", "questionnaire", "additional_examinations")
# Steps nothing waits for: the decision may be taken without them.
OPTIONAL_SCREENING_STEPS = ("additional_examinations",)
# Consent as a record: what it is for, and the form (or person) it was given or withdrawn through.
CONSENT_PURPOSES = ("privacy", "health_data", "marketing")
# Without these, nothing about the person may go on; marketing consent governs marketing mail only.
PROCESSING_CONSENTS = ("privacy", "health_data")
CONSENT_CHANNELS = ("web_form", "patient_portal", "staff")
# Why a screened patient is declined: codes only, the notes stay in the enquiries database.
DECLINE_REASONS = ("medical_contraindication", "psychological_assessment", "bone_quality",
                   "unrealistic_expectations", "patient_withdrew", "did_not_attend", "other")


@contract("enquiry_received", 1)
class EnquiryReceived(Schema):
    enquiry_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    country = fields.String(required=True)
    preferred_language = fields.String(required=True)
    # A suitability enquiry a second opinion opened: its journey, and the health questions the
    # second opinion did not ask, which must be answered before the pre-screen can run.
    opened_from_journey_id = fields.String(allow_none=True, load_default=None)
    health_questions_pending = fields.Boolean(load_default=False)


@contract("prescreen_decided", 1)
class PrescreenDecided(Schema):
    enquiry_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    rules_fired = fields.List(fields.String(), required=True)
    rule_set_version = fields.String(required=True)
    earliest_surgery_date = fields.Date(allow_none=True, load_default=None)
    overridden = fields.Boolean(load_default=False)


@contract("screening_step_completed", 1)
class ScreeningStepCompleted(Schema):
    enquiry_id = fields.String(required=True)
    step = fields.String(required=True)
    skipped = fields.Boolean(load_default=False)


@contract("patient_accepted", 1)
class PatientAccepted(Schema):
    enquiry_id = fields.String(required=True)
    earliest_surgery_date = fields.Date(allow_none=True, load_default=None)
    amputation_level = fields.String(required=True)
    amputation_side = fields.String(required=True, validate=validate.OneOf(("left", "right", "both")))
    body_weight_kg = fields.Decimal(required=True, as_string=True, places=1)
    preferred_language = fields.String(required=True)
    country = fields.String(required=True)


@contract("patient_declined", 1)
class PatientDeclined(Schema):
    enquiry_id = fields.String(required=True)
    stage = fields.String(required=True, validate=validate.OneOf(("prescreen", "screening")))
    reasons = fields.List(fields.String(), required=True)


@contract("consent_withdrawn", 1)
class ConsentWithdrawn(Schema):
    """A consent was withdrawn. Health data (or privacy): every stage stops what depends on it;
    marketing: no more marketing mail. Codes only."""
    enquiry_id = fields.String(required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(CONSENT_PURPOSES))
    channel = fields.String(required=True, validate=validate.OneOf(CONSENT_CHANNELS))


@contract("second_opinion_requested", 1)
class SecondOpinionRequested(Schema):
    enquiry_id = fields.String(required=True)
    preferred_date = fields.Date(allow_none=True, load_default=None)


@contract("brochure_requested", 1)
class BrochureRequested(Schema):
    enquiry_id = fields.String(required=True)
    preferred_language = fields.String(required=True)


# The second opinion at the partner clinic: how it closes (codes only; the note stays in enquiries).
# advised_to_enquire opens a suitability enquiry for the same person, on a journey of its own.
SECOND_OPINION_OUTCOMES = ("advised_to_enquire", "socket_adjustment_advised", "no_action_needed",
                           "patient_withdrew")


@contract("second_opinion_booked", 1)
class SecondOpinionBooked(Schema):
    """An appointment at the partner clinic is booked; `rebooked` after a missed one, or when moved."""
    enquiry_id = fields.String(required=True)
    appointment_id = fields.Integer(required=True)
    scheduled_at = fields.AwareDateTime(required=True)
    rebooked = fields.Boolean(load_default=False)


@contract("second_opinion_held", 1)
class SecondOpinionHeld(Schema):
    enquiry_id = fields.String(required=True)
    appointment_id = fields.Integer(required=True)


@contract("second_opinion_missed", 1)
class SecondOpinionMissed(Schema):
    """The person did not come: the second opinion waits to be booked again."""
    enquiry_id = fields.String(required=True)
    appointment_id = fields.Integer(required=True)


@contract("second_opinion_concluded", 1)
class SecondOpinionConcluded(Schema):
    enquiry_id = fields.String(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(SECOND_OPINION_OUTCOMES))
    suitability_journey_id = fields.String(allow_none=True, load_default=None)


@contract("passenger_identity_recorded", 1)
class PassengerIdentityRecorded(Schema):
    """Staff recorded or corrected the passenger's identity (never carried here: ask over RPC)."""
    enquiry_id = fields.String(required=True)


@contract("questionnaire_overdue", 1)
class QuestionnaireOverdue(Schema):
    """The questionnaire opened for the patient was not submitted within ENQUIRIES.questionnaire_overdue_days
    (a durable timer set when it is opened, cancelled when it is submitted)."""
    enquiry_id = fields.String(required=True)
    opened_on = fields.Date(required=True)
    due_by = fields.Date(required=True)


# Screening appointments (steps of SCREENING_STEPS), as the patient is invited to them: ids, codes
# and times only. `scheduled_at` carries its offset; the channel is how it is held.
SCREENING_CHANNELS = ("phone", "video", "in_person")
SCREENING_EXAMINATIONS = ("x_ray", "bone_density", "blood_tests", "other")


class _ScreeningAppointment(Schema):
    enquiry_id = fields.String(required=True)
    appointment_id = fields.Integer(required=True)
    step = fields.String(required=True, validate=validate.OneOf(SCREENING_STEPS))
    examination = fields.String(allow_none=True, load_default=None,
                                validate=validate.OneOf(SCREENING_EXAMINATIONS))
    scheduled_at = fields.AwareDateTime(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(SCREENING_CHANNELS))


@contract("screening_appointment_planned", 1)
class ScreeningAppointmentPlanned(_ScreeningAppointment):
    """Staff planned an appointment of a screening step (the patient is invited to it)."""


@contract("screening_appointment_moved", 1)
class ScreeningAppointmentMoved(_ScreeningAppointment):
    """A planned appointment has a new time or channel (the same appointment: its invitation is updated)."""


@contract("screening_appointment_cancelled", 1)
class ScreeningAppointmentCancelled(_ScreeningAppointment):
    """A planned appointment will not take place; the time is the one it had."""
