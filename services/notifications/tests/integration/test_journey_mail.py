"""A journey's messages reach the patient once each, in their language, read back from real SMTP."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from babel.dates import format_date

from services.notifications.tests.integration.support import ITINERARIES, SCHEDULES, contact
from shared.testing.infra import wait_for

SUBJECTS = {
    "nl": [
        "We hebben uw aanvraag ontvangen",
        "Uw aanvraag: de volgende stap",
        "U bent aangenomen voor behandeling",
        "Uw factuur en de aanbetaling",
        "We hebben uw aanbetaling ontvangen",
        "Uw operatiedatum",
        "Uw vluchten en hotel zijn geboekt",
        "Uw controles vanuit huis",
    ],
    "de": [
        "Wir haben Ihre Anfrage erhalten",
        "Ihre Anfrage: der nächste Schritt",
        "Sie wurden zur Behandlung angenommen",
        "Ihre Rechnung und die Anzahlung",
        "Wir haben Ihre Anzahlung erhalten",
        "Ihr Operationstermin",
        "Ihre Flüge und Ihr Hotel sind gebucht",
        "Ihre Kontrollen von zu Hause",
    ],
}
ZONES = {"nl": "Europe/Amsterdam", "de": "Europe/Berlin"}


def _journey(system, journey: str, zone: str) -> tuple[date, datetime]:
    today = date.today()
    surgery, checkup = today + timedelta(days=40), today + timedelta(days=120)
    checkup_start = datetime.combine(checkup, time(10), ZoneInfo(zone))
    SCHEDULES[journey] = {
        "preferences": {"time_zone": zone},
        "checkups": [
            {
                "due_on": checkup.isoformat(),
                "local_start": checkup_start.isoformat(),
                "channel": "video",
                "status": "planned",
            }
        ],
    }
    ITINERARIES[journey] = {
        "bookings": [
            {
                "kind": "flight",
                "origin": "FRA",
                "destination": "AMS",
                "current": True,
                "status": "booked",
                "booked_start": (surgery - timedelta(days=2)).isoformat(),
                "confirmation_code": "KL1762",
            }
        ]
    }
    plan = {
        "surgery_id": "S-1",
        "arrival_by": surgery - timedelta(days=2),
        "preop_check_date": surgery - timedelta(days=1),
        "surgery_date": surgery,
        "planned_ward_discharge": surgery + timedelta(days=4),
        "planned_rehab_end": surgery + timedelta(days=32),
        "departure_date": surgery + timedelta(days=33),
    }
    for producer, event_type, payload in [
        (
            "enquiries",
            "enquiry_received",
            {"enquiry_id": "E", "kind": "suitability", "country": "DE", "preferred_language": "de"},
        ),
        (
            "enquiries",
            "prescreen_decided",
            {"enquiry_id": "E", "outcome": "passed", "rules_fired": [], "rule_set_version": "p-1"},
        ),
        (
            "enquiries",
            "patient_accepted",
            {
                "enquiry_id": "E",
                "amputation_level": "transfemoral",
                "amputation_side": "left",
                "body_weight_kg": "80.0",
                "preferred_language": "de",
                "country": "DE",
            },
        ),
        (
            "payments",
            "invoice_issued",
            {
                "invoice_id": "I",
                "currency": "EUR",
                "total_cents": 4500000,
                "deposit_cents": 2250000,
                "balance_cents": 2250000,
                "deposit_due": today + timedelta(days=14),
            },
        ),
        ("payments", "deposit_paid", {"invoice_id": "I", "paid_cents": 2250000}),
        ("surgery", "surgery_scheduled", plan),
        (
            "travel",
            "itinerary_confirmed",
            {
                "itinerary_id": "T",
                "arrival_date": surgery - timedelta(days=2),
                "departure_date": surgery + timedelta(days=33),
            },
        ),
        (
            "followup",
            "followup_planned",
            {"plan_id": "P", "checkup_dates": [checkup], "channel": "video", "time_zone": zone},
        ),
    ]:
        system.publish(producer, event_type, payload, journey)
    return surgery, checkup_start


@pytest.mark.parametrize("language", ["nl", "de"])
def test_a_journey_sends_each_message_once_in_the_patients_language(system, language):
    journey, person = contact(language)
    surgery, checkup_start = _journey(system, journey, ZONES[language])
    mails = wait_for(lambda: (m := system.sink.mails_to(person["email"])) and len(m) >= 8 and m, timeout=30)
    assert sorted(str(m["Subject"]) for m in mails) == sorted(SUBJECTS[language])
    assert {m["Content-Language"] for m in mails} == {language}
    by_subject = {str(m["Subject"]): m for m in mails}

    operation = by_subject[SUBJECTS[language][5]]
    assert (
        format_date(surgery, format="full", locale=language) in operation.get_body(("plain",)).get_content()
    )
    [ics] = [part.get_content() for part in operation.iter_attachments()]
    days = [e.decoded("dtstart") for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert days == [surgery - timedelta(days=1), surgery]

    checkups = by_subject[SUBJECTS[language][7]]
    text = checkups.get_body(("plain",)).get_content()
    assert format_date(checkup_start.date(), format="full", locale=language) in text and "10:00" in text
    [ics] = [part.get_content() for part in checkups.iter_attachments()]
    [entry] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert entry.decoded("dtstart") == checkup_start

    invoice = by_subject[SUBJECTS[language][3]]
    assert (
        "https://clinic.example/ui/patient?token=link-payment-" in invoice.get_body(("html",)).get_content()
    )
    wait_for(lambda: [m.status for m in system.messages(journey)] == ["sent"] * 8)  # recorded just after


def test_an_event_delivered_twice_sends_one_email(system):
    journey, person = contact("en")
    event = system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": 1000}, journey)
    system.publish("payments", "refund_issued", {}, journey, event=event)
    system.publish("payments", "refund_issued", {}, journey, event=event)
    # A later event on the same queue: once its mail is there, the repeats were handled before it.
    system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": 2000}, journey)
    wait_for(
        lambda: (
            len(system.sink.mails_to(person["email"])) >= 2
            and system.count(system.db.kernel.inbox, journey_id=journey) == 2
        )
    )
    assert len(system.sink.mails_to(person["email"])) == 2
    assert len(system.messages(journey)) == 2
