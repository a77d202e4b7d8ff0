"""Sends the recorded messages: claimed in one transaction, sent with none open, outcome recorded.

For each message it asks, at send time, for what it does not keep: the address, a personal
link, the bookings or check-ups; renders it in the patient's language; and hands it to the SMTP
relay, one connection per batch. A message the relay refuses, or that cannot be completed (a
stage not answering), waits for the kernel's retry schedule, then is parked for an operator.
"""
import logging

import eventlet

from services.notifications.adapters import calendar, mailbox, smtp, zones
from services.notifications.adapters.composer import compose, message_id_header
from services.notifications.adapters.directory import Gone
from services.notifications.adapters.rendering import render
from services.notifications.handlers import consent, outbox, preferences
from services.notifications.models import SUPPRESSED, WITHDRAWN
from services.notifications.settings import Settings

log = logging.getLogger(__name__)


class SendTimeout(Exception):
    pass


def send_due(uow, clock, settings: Settings, directory, relay: smtp.Relay) -> int:
    """Send the messages that are due, a batch at a time; returns how many were tried."""
    claimed = outbox.claim_due(uow, clock.now(), settings.batch_size)
    if not claimed:
        return 0
    try:
        client = relay.open()
    except smtp.SmtpUnavailable as exc:
        for item in claimed:
            _failed(uow, clock, settings, item, str(exc))
        return len(claimed)
    try:
        for index, item in enumerate(claimed):
            try:
                with eventlet.Timeout(settings.send_timeout_seconds, SendTimeout):
                    _send_one(uow, clock, settings, directory, client, item)
            except smtp.SmtpUnavailable as exc:   # the connection is gone: the rest wait too
                for rest in claimed[index:]:
                    _failed(uow, clock, settings, rest, str(exc))
                break
            except Exception as exc:   # a refused recipient, a stage not answering: this one waits
                _failed(uow, clock, settings, item, f"{type(exc).__name__}: {exc}")
    finally:
        smtp.close(client)
    return len(claimed)


def _send_one(uow, clock, settings: Settings, directory, client, item: outbox.Claimed) -> None:
    if not item.care_critical:
        with uow:
            wanted = preferences.wants(uow, item.journey_id)
        if not wanted:
            outbox.mark_skipped(uow, item, SUPPRESSED, "the patient turned these reminders off")
            return
    with uow:
        stopped = consent.stopped(uow.session, item.journey_id)
    if stopped:   # erased, or the consent withdrawn, since the message was recorded
        outbox.mark_skipped(uow, item, WITHDRAWN, "consent withdrawn or erased")
        return
    try:
        contact = directory.contact(item.journey_id)
    except Gone:
        outbox.mark_skipped(uow, item, WITHDRAWN, "no contact details (erased)")
        return
    details = directory.details(item.journey_id, item.template, item.facts)
    portal = directory.link(item.journey_id, item.link) if item.link else None
    zone = (details.get("zone") or contact.get("time_zone") or zones.of_country(contact.get("country"))
            or settings.clinic_time_zone)
    rendered = render(item.template, contact["language"], {
        "facts": item.facts, "name": contact["name"], "portal": portal, "details": details, "zone": zone,
        "clinic_zone": settings.clinic_time_zone}, settings.clinic)
    now = clock.now()
    ics = calendar.ics(item.journey_id, item.template, item.facts, details, rendered.language,
                       settings.clinic.name, now, sequence=int(now.timestamp()),
                       address=settings.clinic.address, organizer=settings.clinic.email)
    message = compose(item.id, rendered, contact["email"], contact["name"], settings.clinic, now, ics)
    smtp.send(client, message)
    if not outbox.mark_sent(uow, item, clock.now(), rendered.language):
        # erased (or its consent withdrawn) while it went out: a local sink's copy goes as well
        mailbox.remove(settings.mail_dir, [message_id_header(item.id, settings.clinic)])
    log.info("message sent", extra={"journey_id": item.journey_id, "template": item.template,
                                    "message_id": item.id})


def _failed(uow, clock, settings: Settings, item: outbox.Claimed, error: str) -> None:
    status = outbox.mark_failed(uow, item, clock.now(), error, settings.retry)
    log.warning("a message could not be sent (%s)", status, extra={
        "journey_id": item.journey_id, "template": item.template, "message_id": item.id,
        "attempt": item.attempt})
