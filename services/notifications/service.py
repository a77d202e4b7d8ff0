"""NotificationsService: tells the patient, by email in their own language, what the journey's
facts mean for them; reminders on durable timers; sent from its own outbox of mails; and keeps the
thread of messages between the patient and the care team."""
from nameko.rpc import RpcProxy

from services.notifications import models
from services.notifications.adapters import mailbox, sender
from services.notifications.adapters.composer import message_id_header
from services.notifications.adapters.directory import Directory
from services.notifications.adapters.smtp import Relay, parse_url
from services.notifications.adapters.timer import every_tick
from services.notifications.handlers import (
    consent,
    conversations,
    erasure,
    outbox,
    preferences,
    reactions,
    work,
)
from services.notifications.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api import notifications as api
from shared.contracts.api.work import WorkQuery, WorkQueues
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED, NotFound
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class NotificationsService(HealthEndpoints):
    name = "notifications"

    uow = Database(models.kernel)
    settings = Settings(parse)
    clock = Clock()
    context = CallContext()
    enquiries_rpc = RpcProxy("enquiries")
    gateway_rpc = RpcProxy("gateway")
    travel_rpc = RpcProxy("travel")
    followup_rpc = RpcProxy("followup")

    def _react(self, event):
        reactions.react(self.uow, self.clock, self.settings, event)

    # Enquiry and screening (stage 1)
    @handles("enquiries", "enquiry_received")
    def on_enquiry_received(self, event):
        self._react(event)

    @handles("enquiries", "prescreen_decided")
    def on_prescreen_decided(self, event):
        self._react(event)

    @handles("enquiries", "screening_step_completed")
    def on_screening_step_completed(self, event):
        self._react(event)

    @handles("enquiries", "questionnaire_overdue")
    def on_questionnaire_overdue(self, event):
        self._react(event)

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        self._react(event)

    @handles("enquiries", "patient_declined")
    def on_patient_declined(self, event):
        self._react(event)

    @handles("enquiries", "second_opinion_booked")
    def on_second_opinion_booked(self, event):
        self._react(event)

    @handles("enquiries", "screening_appointment_planned")
    def on_screening_appointment_planned(self, event):
        self._react(event)

    @handles("enquiries", "screening_appointment_moved")
    def on_screening_appointment_moved(self, event):
        self._react(event)

    @handles("enquiries", "screening_appointment_cancelled")
    def on_screening_appointment_cancelled(self, event):
        self._react(event)

    # Payment (stage 2)
    @handles("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        self._react(event)

    @handles("payments", "deposit_paid")
    def on_deposit_paid(self, event):
        self._react(event)

    @handles("payments", "invoice_paid")
    def on_invoice_paid(self, event):
        self._react(event)

    @handles("payments", "payment_failed")
    def on_payment_failed(self, event):
        self._react(event)

    @handles("payments", "deposit_overdue")
    def on_deposit_overdue(self, event):
        self._react(event)

    @handles("payments", "balance_due_dated")
    def on_balance_due_dated(self, event):
        self._react(event)

    @handles("payments", "balance_overdue")
    def on_balance_overdue(self, event):
        self._react(event)

    @handles("payments", "refund_issued")
    def on_refund_issued(self, event):
        self._react(event)

    # Surgery and travel (stages 3 and 5)
    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        self._react(event)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        self._react(event)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        self._react(event)

    @handles("notifications", "preop_reminder_due")
    def on_preop_reminder_due(self, event):
        self._react(event)

    @handles("travel", "itinerary_confirmed")
    def on_itinerary_confirmed(self, event):
        self._react(event)

    @handles("travel", "itinerary_cancelled")
    def on_itinerary_cancelled(self, event):
        self._react(event)

    # Tele-follow-up (stage 6)
    @handles("followup", "followup_planned")
    def on_followup_planned(self, event):
        self._react(event)

    @handles("notifications", "checkup_reminder_due")
    def on_checkup_reminder_due(self, event):
        self._react(event)

    @handles("followup", "checkup_completed")
    def on_checkup_completed(self, event):
        self._react(event)

    @handles("followup", "checkup_moved")
    def on_checkup_moved(self, event):
        self._react(event)

    @handles("followup", "checkup_missed")
    def on_checkup_missed(self, event):
        self._react(event)

    @handles("followup", "imaging_received")
    def on_imaging_received(self, event):
        self._react(event)

    @handles("followup", "imaging_reviewed")
    def on_imaging_reviewed(self, event):
        self._react(event)

    # Messages with the care team: a reply tells the patient a message waits (never what it says)
    @handles("notifications", "care_message_posted")
    def on_care_message_posted(self, event):
        self._react(event)

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        """No more mail to someone who withdrew their consent (or no marketing mail)."""
        consent.honour_withdrawal(self.uow, self.clock, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        """Withdraw what is still to be sent; remove the local sink's copies of what was sent."""
        sent = erasure.erase(self.uow, self.clock, event)
        mailbox.remove(self.settings.mail_dir, [message_id_header(i, self.settings.clinic) for i in sent])

    @every_tick
    def send_due(self):
        """Send the messages that are due (a batch per connection, until none is left)."""
        directory = Directory(self.enquiries_rpc, self.gateway_rpc, self.travel_rpc, self.followup_rpc)
        relay = Relay(parse_url(self.settings.smtp_url, self.settings.send_timeout_seconds))
        batch = self.settings.batch_size
        while sender.send_due(self.uow, self.clock, self.settings, directory, relay) >= batch:
            pass  # a full batch: more may be due

    @rpc(expected_exceptions=EXPECTED)
    def reminder_preferences(self, journey_id):
        """Whether the patient gets check-up reminders."""
        return dump(api.ReminderPreferencesView, preferences.show(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def set_reminder_preferences(self, journey_id, form):
        """Turn check-up reminders on or off (care-critical messages always go)."""
        enabled = load(api.ReminderPreferencesForm, form)["checkup_reminders"]
        return dump(api.ReminderPreferencesView,
                    preferences.set_checkup_reminders(self.uow, self.clock, journey_id, enabled))

    @rpc(expected_exceptions=EXPECTED)
    def renew_link(self, journey_id):
        """The patient opened an expired emailed link: a new one goes to their address (once a day)."""
        return {"recorded": reactions.renew_link(self.uow, self.clock, str(journey_id))}

    @rpc(expected_exceptions=EXPECTED)
    def send_new_link(self, journey_id):
        """The patient asked for a new link on the portal's new-link page (enquiries found their journey by
        the address they gave): one goes to that address, at most NOTIFICATIONS.new_links_per_day a day."""
        return {"recorded": reactions.renew_link(self.uow, self.clock, str(journey_id), asked=True,
                                                 per_day=self.settings.new_links_per_day)}

    @rpc(expected_exceptions=EXPECTED)
    def post_patient_message(self, journey_id, form):
        """The patient writes to a role of the care team (files checked by their content)."""
        form = load(api.PatientMessageForm, form)
        return dump(api.CareMessageView, conversations.post_patient_message(
            self.uow, self.clock, self.settings.conversations, str(journey_id), form))

    @rpc(expected_exceptions=EXPECTED)
    def post_staff_reply(self, journey_id, form, role):
        """A member of the care team answers as their role; the patient is emailed that a message waits."""
        form = load(api.StaffReplyForm, form)
        return dump(api.CareMessageView, conversations.post_staff_reply(
            self.uow, self.clock, self.settings.conversations, str(journey_id), form, str(role)))

    @rpc(expected_exceptions=EXPECTED)
    def conversation(self, journey_id):
        """The journey's thread with the care team, oldest first (staff reading marks nothing)."""
        return dump(api.ConversationView, conversations.list_thread(
            self.uow, self.settings.conversations, str(journey_id)))

    @rpc(expected_exceptions=EXPECTED)
    def patient_conversation(self, journey_id):
        """The patient opens their thread: the care team's replies are read from now on."""
        return dump(api.ConversationView, conversations.open_as_patient(
            self.uow, self.clock, self.settings.conversations, str(journey_id)))

    @rpc(expected_exceptions=EXPECTED)
    def mark_message_read(self, journey_id, message_id, role):
        """Staff of the role the patient wrote to have read the message."""
        return dump(api.CareMessageView, conversations.mark_read(
            self.uow, self.clock, str(journey_id), str(message_id), str(role)))

    @rpc(expected_exceptions=EXPECTED)
    def unread_messages(self, role):
        """A role's task list: the patients' messages to it that no one has read, oldest first."""
        return dump(api.UnreadMessageView, conversations.unread_for_role(self.uow, str(role)), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def work_queues(self, query):
        """What waits for staff here (My work): patients' unread messages to a role, parked emails."""
        return dump(WorkQueues, work.queues(self.uow, load(WorkQuery, query)))

    @rpc(expected_exceptions=EXPECTED)
    def message_attachment(self, journey_id, attachment_id):
        """One attachment of the journey's thread, as it was sent (base64)."""
        return dump(api.AttachmentContentView, conversations.attachment(
            self.uow, str(journey_id), str(attachment_id)))

    @rpc(expected_exceptions=EXPECTED)
    def parked_messages(self):
        """Messages every retry failed to send, for an operator (no content, no address)."""
        return dump(api.ParkedMessageView, outbox.parked(self.uow), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def retry_message(self, message_id):
        """Send a parked message again, from the first step of the retry schedule."""
        retried = outbox.retry_parked(self.uow, str(message_id), self.clock.now())
        return dump(api.MessageRetried, {"id": message_id, "retried": retried})

    @rpc(expected_exceptions=EXPECTED)
    def mailbox(self):
        """What the local SMTP sink received (a local run), newest first."""
        return dump(api.MailboxEntryView, mailbox.entries(self.settings.mail_dir), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def mailbox_message(self, name):
        """One message of the local sink, as the patient sees it."""
        found = mailbox.message(self.settings.mail_dir, str(name))
        if found is None:
            raise NotFound(f"no message {name} in the local mailbox")
        return dump(api.MailboxMessageView, found)
