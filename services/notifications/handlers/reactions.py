"""What the service does with a fact of the journey: record the messages it sends, and keep the
reminder timers (pre-op check, check-ups) in step with the plan, all in the handler's transaction."""
from services.notifications.domain import reminders
from services.notifications.domain.messages import Outgoing, message_id, outgoing
from services.notifications.handlers import consent, outbox
from services.notifications.settings import Settings
from shared.contracts.notifications import CheckupReminderDue, PreopReminderDue

ITINERARY_TEMPLATES = ("itinerary_confirmed", "itinerary_changed")


def react(uow, clock, settings: Settings, event) -> int:
    """Record this fact's messages (once per event and template); returns how many are new."""
    with uow:
        if consent.stopped(uow.session, event.journey_id):
            return 0   # their consent was withdrawn: no mail, no reminders
        before = event.type == "itinerary_confirmed" and outbox.sent_before(uow, event.journey_id,
                                                                             *ITINERARY_TEMPLATES)
        messages = outgoing(event.producer, event.type, event.wire_payload, itinerary_sent_before=before,
                            occurred_at=event.occurred_at, today=clock.today())
        now = clock.now()
        recorded = sum(outbox.record(uow, event, message, now) for message in messages)
        _keep_timers(uow, clock, settings, event)
    return recorded


def renew_link(uow, clock, journey_id: str, *, asked: bool = False, per_day: int = 1) -> bool:
    """Email the patient a new personal link: when they opened an expired emailed link (once a day), or
    asked for one on the portal's new-link page (`asked`, at most `per_day` a day, the first shared
    with an expired link's). The message ids are the day's slots, so a repeat beyond them records
    nothing; False then."""
    day = f"renewed:{journey_id}:{clock.today().isoformat()}"
    slots = [day, *(f"{day}:{n}" for n in range(2, per_day + 1))] if asked else [day]
    cause = message_id(day, "link_request" if asked else "link_renewal")   # an id of the request
    with uow:
        for topic in slots:
            renewal = Outgoing("link_renewed", {"asked": True} if asked else {}, link="portal", topic=topic)
            if outbox.record_for(uow, journey_id, cause, "link_request" if asked else "link_renewal",
                                 renewal, clock.now()):
                return True
    return False


def _keep_timers(uow, clock, settings: Settings, event) -> None:
    p, journey = event.payload, event.journey_id
    if event.type in ("surgery_scheduled", "surgery_rescheduled"):
        at = reminders.preop_reminder_at(p["preop_check_date"], settings.preop_days_before,
                                         settings.preop_time, settings.clinic_time_zone)
        if at > clock.now():
            reminder = {"surgery_id": p["surgery_id"], "preop_check_date": p["preop_check_date"]}
            uow.schedule(PreopReminderDue, reminder, journey, at=at, key=reminders.preop_key(journey))
        else:
            uow.cancel_timer(reminders.preop_key(journey))
    elif event.type == "surgery_cancelled":
        uow.cancel_timers(journey_id=journey)   # no pre-op check, no check-ups: nothing to remind of
    elif event.type == "followup_planned":
        uow.cancel_timers(journey_id=journey, prefix=reminders.CHECKUP_PREFIX)
        _plan_checkup_reminders(uow, clock, settings, journey, p)
    elif event.type == "checkup_moved":   # the old day's reminder goes, the new day's comes
        uow.cancel_timer(reminders.checkup_key(journey, p["previous_due_on"]))
        _plan_checkup_reminders(uow, clock, settings, journey, dict(p, checkup_dates=[p["due_on"]]))


def _plan_checkup_reminders(uow, clock, settings: Settings, journey: str, p: dict) -> None:
    zone = p.get("time_zone") or settings.clinic_time_zone
    moments = {reminders.checkup_key(journey, day): (day, reminders.checkup_reminder_at(
        day, settings.checkup_days_before, settings.checkup_time, zone)) for day in p["checkup_dates"]}
    now = clock.now()
    for key, (day, at) in moments.items():
        if at > now:
            uow.schedule(CheckupReminderDue, {"plan_id": p["plan_id"], "checkup_date": day}, journey,
                         at=at, key=key)

