"""How the journey page's action forms read: a label per field of the API's request schemas, and words
for the codes their choices are (a code without words reads as itself, "_" as spaces). Staff pages read
in English."""

LABELS = {
    # enquiries
    "outcome": "Outcome", "reason": "Reason", "smoking_status": "Smoking", "smoking_stopped_on": "Stopped on",
    "step": "Step", "examination": "Examination", "scheduled_at": "When (clinic time)", "channel": "How",
    "status": "What happened", "decision": "Decision", "reasons": "Reasons (a decline needs one)",
    "note": "Note (kept in the clinic's record, never announced)", "place": "Where",
    "appointment_id": "Appointment", "date_of_birth": "Date of birth", "amputation_level": "Amputation level",
    "amputation_side": "Side", "years_since_amputation": "Years since the amputation",
    "diabetes": "Diabetes", "circulatory_disease": "Circulatory-system disease",
    "other_conditions": "Other conditions", "body_weight_kg": "Body weight (kg)",
    # payments
    "reference": "Bank reference", "amount_cents": "Amount (EUR)", "received_on": "Received on",
    "refund_id": "Refund",
    # surgery
    "surgery_date": "Surgery date (empty: the first valid date)", "reason_code": "Reason",
    "fit": "Result", "checked_on": "Checked on", "performed_on": "Performed on", "side": "Side",
    "implant_type": "Implant type", "implant_size": "Implant size", "implant_lot": "Implant lot",
    "implant_serial": "Implant serial number", "sides": "Side", "findings": "Findings",
    "complications": "Complications",
    "complication_note": "About the complications", "visit_date": "Visit date", "slot": "Visit",
    "taken_on": "Taken on", "discharged_on": "Discharged on",
    # rehabilitation
    "session_date": "Session date", "duration_minutes": "Duration (minutes)",
    "load_kg": "Load on the pin (kg)", "pain_score": "Pain (0 to 10)",
    "notes_ref": "Reference to the note in the patient file", "exercises": "Exercises (separated by commas)",
    "day": "Day", "fitted_on": "Fitted on", "completed_on": "Completed on",
    # travel
    "part": "Part of the trip", "confirmation_code": "Confirmation code",
    "start": "From (departure day, or check-in)", "end": "To (arrival day, or check-out)",
    "origin": "From airport (IATA code)", "destination": "To airport (IATA code)",
    "task_id": "Conflict or task", "cost_cents": "Cost of a cancellation made by phone (EUR)",
    "departure_date": "New departure date",
    # follow-up
    "subject_id": "Image", "concerns": "Concerns (a concern escalates them)", "checkup_id": "Check-up",
    "escalation_id": "Complication", "action_code": "Action taken (a code, e.g. antibiotics_started)",
    "stoma_condition": "Stoma", "infection_signs": "Signs of infection", "activity_level": "Activity level",
    "implant_stability": "Implant stability",
}

CODES = {
    "on_hold": "On hold", "x_ray": "X-ray", "in_person": "In person", "phone": "Telephone",
    "outpatient_invitation": "Invitation to the outpatient clinic",
    "psychologist_call": "Psychologist's call", "specialist_introduction": "Specialist's introduction",
    "additional_examinations": "Additional examinations",
    "accepted": "Accept", "declined": "Decline", "done": "Held (done)", "transfemoral": "Transfemoral",
    "hotel_preop": "Hotel before surgery", "hotel_stay": "Hotel after the ward", "return": "Flight home",
    "outbound": "Flight out", "fine": "Fine", "watch": "Watch (look again at the next check-up)",
    "concern": "Concern (escalate)", "advised_to_enquire": "Advised to enquire about osseointegration",
}

# A yes/no field's two answers, where "yes" and "no" would not say it.
YES_NO = {"fit": ("Fit for surgery", "Not fit")}


# Dates a form starts at today (the clinic's): when something happened, most often today.
TODAY_BY_DEFAULT = frozenset({"received_on", "checked_on", "performed_on", "visit_date", "taken_on",
                              "discharged_on", "session_date", "day", "fitted_on", "completed_on"})


def label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def code_words(code: str) -> str:
    return CODES.get(code) or code.replace("_", " ").capitalize()
