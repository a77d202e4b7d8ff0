"""Which facts send which messages: once per event and template, reasons in plain words."""

from datetime import date

from services.notifications.domain.messages import message_id, outgoing, reasons


def test_a_declined_prescreen_explains_itself_in_plain_reasons():
    [mail] = outgoing(
        "enquiries",
        "prescreen_decided",
        {
            "outcome": "declined",
            "rules_fired": ["diabetes", "circulatory_disease"],
            "rule_set_version": "p-1",
        },
    )
    assert mail.template == "prescreen_declined"
    assert mail.facts == {"reasons": ["diabetes", "circulation"]}


def test_an_unknown_rule_is_explained_as_a_condition_not_met_and_an_override_is_not_a_reason():
    assert reasons(["staff_override", "bone_age_rule_v9", "diabetes", "diabetes"]) == ["other", "diabetes"]


def test_the_same_event_and_template_always_have_the_same_message_id():
    assert message_id("e-1", "surgery_scheduled") == message_id("e-1", "surgery_scheduled")
    assert message_id("e-1", "surgery_scheduled") != message_id("e-2", "surgery_scheduled")
    assert message_id("e-1", "checkup_reminder") != message_id("e-1", "xray_request")


def test_a_missed_checkup_is_one_message_whichever_fact_announces_it():
    [staff] = outgoing("followup", "checkup_completed", {"checkup_id": "C-1", "outcome": "missed"})
    [timer] = outgoing("followup", "checkup_missed", {"checkup_id": "C-1"})
    assert message_id("e-1", staff.template, staff.topic) == message_id("e-2", timer.template, timer.topic)
    assert outgoing("followup", "checkup_completed", {"checkup_id": "C-1", "outcome": "done"}) == []


def test_a_checkup_reminder_may_be_turned_off_but_the_xray_request_is_care():
    reminder, xray = outgoing(
        "notifications", "checkup_reminder_due", {"plan_id": "P", "checkup_date": "2027-01-05"}
    )
    assert (reminder.template, reminder.care_critical) == ("checkup_reminder", False)
    assert (xray.template, xray.care_critical, xray.link) == ("xray_request", True, "portal")


def test_a_preop_reminder_that_fires_on_the_day_of_the_check_or_later_does_not_say_tomorrow():
    due = {"surgery_id": "S-1", "preop_check_date": "2027-01-05"}
    [mail] = outgoing("notifications", "preop_reminder_due", due, today=date(2027, 1, 4))
    assert (mail.template, mail.facts) == ("preop_reminder", {"preop_check_date": "2027-01-05"})
    assert outgoing("notifications", "preop_reminder_due", due, today=date(2027, 1, 5)) == []
    assert outgoing("notifications", "preop_reminder_due", due, today=date(2027, 1, 9)) == []


def test_a_checkup_reminder_that_fires_late_does_not_say_in_two_days_but_still_asks_for_x_rays():
    due = {"plan_id": "P", "checkup_date": "2027-01-05"}
    on_time = outgoing("notifications", "checkup_reminder_due", due, today=date(2027, 1, 3))
    assert [mail.template for mail in on_time] == ["checkup_reminder", "xray_request"]
    late = outgoing("notifications", "checkup_reminder_due", due, today=date(2027, 1, 4))
    assert [mail.template for mail in late] == ["xray_request"]

def test_a_second_confirmed_itinerary_is_a_change():
    payload = {"itinerary_id": "T", "arrival_date": "2026-11-01", "departure_date": "2026-12-01"}
    assert outgoing("travel", "itinerary_confirmed", payload)[0].template == "itinerary_confirmed"
    assert (
        outgoing("travel", "itinerary_confirmed", payload, itinerary_sent_before=True)[0].template
        == "itinerary_changed"
    )


def test_a_prescreen_decline_is_not_told_twice_but_a_screening_decline_is_told():
    assert outgoing("enquiries", "patient_declined", {"stage": "prescreen", "reasons": []}) == []
    assert (
        outgoing("enquiries", "patient_declined", {"stage": "screening", "reasons": []})[0].template
        == "screening_declined"
    )


def test_the_invoice_carries_a_payment_link_and_no_personal_data():
    [mail] = outgoing(
        "payments",
        "invoice_issued",
        {
            "invoice_id": "I",
            "currency": "EUR",
            "total_cents": 1,
            "deposit_cents": 1,
            "balance_cents": 0,
            "deposit_due": "2026-10-20",
            "balance_due": None,
        },
    )
    assert mail.link == "payment" and set(mail.facts) <= {
        "invoice_id",
        "currency",
        "total_cents",
        "deposit_cents",
        "balance_cents",
        "deposit_due",
    }


def test_facts_nobody_tells_the_patient_about_send_nothing():
    assert outgoing("surgery", "surgery_performed", {}) == []
