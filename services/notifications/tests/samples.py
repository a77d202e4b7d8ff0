"""Facts and send-time details for every template, as the sender would hand them to a template."""

PORTAL = {"url": "https://clinic.example/ui/patient?token=t0k3n", "expires_at": "2027-01-16T10:00:00+00:00"}
CHECKUPS = {
    "checkups": [{"due_on": "2027-01-05", "start": "2027-01-05T10:00:00+01:00", "channel": "video"}],
    "zone": "Europe/Berlin",
}
BOOKINGS = {
    "bookings": [
        {
            "kind": "flight",
            "origin": "FRA",
            "destination": "AMS",
            "code": "KL1762",
            "start": "2026-11-01",
            "end": None,
        },
        {
            "kind": "hotel",
            "origin": "",
            "destination": "",
            "code": "H-88",
            "start": "2026-11-01",
            "end": "2026-12-01",
        },
        {
            "kind": "flight",
            "origin": "AMS",
            "destination": "FRA",
            "code": "KL1763",
            "start": "2026-12-01",
            "end": None,
        },
    ]
}
PLAN = {
    "surgery_id": "S-1",
    "arrival_by": "2026-11-01",
    "preop_check_date": "2026-11-02",
    "surgery_date": "2026-11-03",
    "departure_date": "2026-12-01",
}
FACTS = {
    "enquiry_received": {"kind": "suitability"},
    "prescreen_passed": {"earliest_surgery_date": "2027-03-01"},
    "prescreen_on_hold": {"reasons": ["smoking"]},
    "prescreen_waitlisted": {"reasons": ["level"]},
    "prescreen_declined": {"reasons": ["diabetes", "circulation", "age", "other"]},
    "screening_declined": {},
    "patient_accepted": {},
    "questionnaire_ready": {},
    "questionnaire_reminder": {},
    "second_opinion_booked": {
        "appointment_id": 7,
        "scheduled_at": "2026-10-05T14:30:00+02:00",
        "rebooked": False,
    },
    "invoice_issued": {
        "invoice_id": "I-1",
        "currency": "EUR",
        "total_cents": 4500000,
        "deposit_cents": 2250000,
        "balance_cents": 2250000,
        "deposit_due": "2026-10-20",
    },
    "deposit_paid": {"paid_cents": 2250000},
    "invoice_paid": {"paid_cents": 4500000},
    "payment_failed": {},
    "deposit_overdue": {"invoice_id": "I-1", "deposit_due": "2026-10-20"},
    "balance_due": {"balance_cents": 2250000, "balance_due": "2026-10-20"},
    "balance_overdue": {"balance_cents": 2250000, "balance_due": "2026-10-20"},
    "refund_issued": {"refund_cents": 1125050},
    "surgery_scheduled": PLAN,
    "surgery_rescheduled": PLAN,
    "surgery_cancelled": {"surgery_date": "2026-11-03"},
    "itinerary_confirmed": {
        "itinerary_id": "T-1",
        "arrival_date": "2026-11-01",
        "departure_date": "2026-12-01",
    },
    "itinerary_changed": {
        "itinerary_id": "T-1",
        "arrival_date": "2026-11-01",
        "departure_date": "2026-12-08",
    },
    "itinerary_cancelled": {},
    "preop_reminder": {"preop_check_date": "2026-11-02"},
    "checkups_planned": {"checkup_dates": ["2027-01-05"], "channel": "video", "time_zone": "Europe/Berlin"},
    "checkup_reminder": {"checkup_date": "2027-01-05"},
    "xray_request": {"checkup_date": "2027-01-05"},
    "checkup_missed": {"checkup_id": "C-1"},
    "checkup_moved": {"checkup_id": "C-1", "previous_due_on": "2026-12-29", "due_on": "2027-01-05"},
    "imaging_received": {"review_due": "2027-01-10"},
    "imaging_reviewed": {"outcome": "watch"},
    "link_renewed": {},
    "care_message_waiting": {},
    "screening_invitation": {"appointment_id": 12, "step": "psychologist_call", "examination": None,
                             "scheduled_at": "2026-10-06T15:00:00+02:00", "channel": "phone",
                             "revision": 100},
    "screening_moved": {"appointment_id": 12, "step": "consultation", "examination": None,
                        "scheduled_at": "2026-10-08T11:00:00+02:00", "channel": "in_person", "revision": 200},
    "screening_cancelled": {"appointment_id": 13, "step": "additional_examinations", "examination": "x_ray",
                            "scheduled_at": "2026-10-09T09:30:00+02:00", "channel": "video", "revision": 300},
}
DETAILS = {
    "itinerary_confirmed": BOOKINGS,
    "itinerary_changed": BOOKINGS,
    "checkups_planned": CHECKUPS,
    "checkup_reminder": CHECKUPS,
    "checkup_moved": CHECKUPS,
}


def context(template: str, name: str = "Anna de Vries") -> dict:
    details = DETAILS.get(template, {})
    return {
        "facts": FACTS[template],
        "name": name,
        "portal": PORTAL,
        "details": details,
        "zone": details.get("zone", "Europe/Amsterdam"),
        "clinic_zone": "Europe/Amsterdam",
    }
