"""An erased enquirer leaves no address behind; reminders follow the patient's choice and the plan."""

from datetime import UTC, date, time, timedelta

from sqlalchemy import MetaData, select

from services.notifications.domain.reminders import preop_reminder_at
from services.notifications.models import Preference
from services.notifications.tests.integration.support import CONTACTS, SCHEDULES, contact
from shared.clock import aware, clinic_clock
from shared.testing.infra import wait_for


def _every_row_as_text(system) -> str:
    metadata = MetaData()
    metadata.reflect(system.db.engine)
    with system.db.session() as session:
        return "\n".join(
            str(row) for table in metadata.sorted_tables for row in session.execute(select(table)).all()
        )


def test_an_erased_enquirers_address_is_in_no_table_and_no_mail_of_the_sink(system):
    journey, person = contact("nl")
    system.publish(
        "enquiries",
        "enquiry_received",
        {"enquiry_id": "E", "kind": "brochure", "country": "NL", "preferred_language": "nl"},
        journey,
    )
    wait_for(lambda: system.sink.mails_to(person["email"]))
    del CONTACTS[journey]  # enquiries erases its own record on the same request
    system.publish("journey", "erasure_requested", {"request_id": "R-1"}, journey)
    outbox = system.db.kernel.outbox
    wait_for(lambda: system.count(outbox, journey_id=journey, event_type="erasure_confirmed") == 1)
    assert system.sink.mails_to(person["email"]) == []
    assert person["email"] not in _every_row_as_text(system)
    assert not any(person["email"] in p.read_text(errors="replace") for p in system.sink.folder.glob("*"))


def test_a_message_for_someone_erased_before_it_went_out_is_withdrawn(system):
    journey, person = contact("en")
    del CONTACTS[journey]
    system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": 100}, journey)
    wait_for(lambda: [m.status for m in system.messages(journey)] == ["withdrawn"])


def test_a_patient_who_turned_checkup_reminders_off_still_gets_the_xray_request(system):
    journey, person = contact("fr")
    checkup = clinic_clock(system.config).today() + timedelta(days=2)   # the clinic's day decides "late"
    SCHEDULES[journey] = {
        "preferences": {"time_zone": "Europe/Paris"},
        "checkups": [
            {
                "due_on": checkup.isoformat(),
                "local_start": f"{checkup}T10:00:00+01:00",
                "channel": "telephone",
                "status": "planned",
            }
        ],
    }
    with _rpc(system) as notifications:
        notifications.set_reminder_preferences(journey, {"checkup_reminders": False})
    system.publish(
        "notifications", "checkup_reminder_due", {"plan_id": "P", "checkup_date": checkup}, journey
    )
    wait_for(
        lambda: (
            {m.template: m.status for m in system.messages(journey)}
            == {"checkup_reminder": "suppressed", "xray_request": "sent"}
        )
    )
    [mail] = system.sink.mails_to(person["email"])
    assert str(mail["Subject"]) == "Merci d'envoyer vos radiographies de suivi"


def test_reminder_timers_follow_the_surgery_and_go_with_a_cancelled_journey(system):
    journey, _ = contact("en")
    timers = system.db.kernel.timers
    today = clinic_clock(system.config).today()

    def plan(surgery: date) -> dict:
        return {
            "surgery_id": "S",
            "arrival_by": surgery - timedelta(days=2),
            "preop_check_date": surgery - timedelta(days=1),
            "surgery_date": surgery,
            "planned_ward_discharge": surgery,
            "planned_rehab_end": surgery,
            "departure_date": surgery + timedelta(days=30),
        }

    def due() -> list:
        with system.db.session() as session:
            return [
                aware(row.due_at).astimezone(UTC)
                for row in session.execute(
                    select(timers).where(timers.c.journey_id == journey, timers.c.fired_at.is_(None))
                )
            ]

    system.publish("surgery", "surgery_scheduled", plan(today + timedelta(days=30)), journey)
    # 09:00 at the clinic the day before the pre-op check (itself the day before surgery)
    wait_for(lambda: due() == [preop_reminder_at(today + timedelta(days=29), 1, time(9), "Europe/Amsterdam")])
    system.publish(
        "surgery", "surgery_rescheduled", dict(plan(today + timedelta(days=44)), reason_code="x"), journey
    )
    wait_for(lambda: due() and due()[0].date() == today + timedelta(days=42))
    system.publish("surgery", "surgery_cancelled", {"surgery_id": "S", "reason_code": "x"}, journey)
    wait_for(lambda: due() == [])


def _rpc(system):
    from nameko.standalone.rpc import ServiceRpcProxy

    return ServiceRpcProxy("notifications", system.config)


def test_someone_who_withdrew_their_consent_is_sent_nothing_more(system):
    journey, person = contact("de")
    system.publish("enquiries", "consent_withdrawn", {"enquiry_id": "E", "purpose": "health_data",
                                                      "channel": "patient_portal"}, journey)
    wait_for(lambda: _stopped(system, journey))
    system.publish("payments", "refund_issued", {"invoice_id": "I", "refund_cents": 100}, journey)
    marker, other = contact("de")   # a later fact of another journey: once it is mailed, ours was handled
    system.publish("payments", "refund_issued", {"invoice_id": "I2", "refund_cents": 100}, marker)
    wait_for(lambda: system.sink.mails_to(other["email"]))
    assert system.messages(journey) == [] and system.sink.mails_to(person["email"]) == []


def _stopped(system, journey: str) -> bool:
    with system.db.session() as session:
        row = session.get(Preference, journey)
        return row is not None and row.processing_stopped_at is not None
