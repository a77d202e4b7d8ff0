"""The patient's reminder preferences: check-up reminders on or off, for the patient's own link and
for staff who speak with them. Care-critical messages (a surgery change, a missed check-up) always go.
The emails every retry failed to send, for administrators (handlers/operations.py, as the operations page)."""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN, INTAKE, PATIENT, SPECIALIST
from services.gateway.handlers import operations
from shared.contracts.api.notifications import (
    MessageRetried,
    ParkedMessageView,
    ReminderPreferencesForm,
    ReminderPreferencesView,
)
from shared.edge import dump
from shared.i18n import N_

TAG = "notifications"
WHO = {PATIENT, INTAKE, SPECIALIST, ADMIN}
PATH = "/journeys/<uuid:journey_id>/reminder-preferences"


@route("GET", PATH, roles=WHO, tag=TAG, summary="Read whether the patient gets check-up reminders",
       response=ReminderPreferencesView, action=N_("read a patient's reminder preferences"))
def reminder_preferences(ctx, journey_id):
    return ctx.rpc("notifications").reminder_preferences(str(journey_id))


@route("PUT", PATH, roles=WHO, tag=TAG, body=ReminderPreferencesForm, response=ReminderPreferencesView,
       summary="Turn email reminders of check-ups on or off (care-critical messages always go)",
       action=N_("set a patient's reminder preferences"))
def set_reminder_preferences(ctx, journey_id):
    return ctx.rpc("notifications").set_reminder_preferences(str(journey_id),
                                                             dump(ReminderPreferencesForm, ctx.body))


@route("GET", "/notifications/parked", roles=ADMIN, tag=TAG, response=ParkedMessageView, many=True,
       summary="Messages to patients that every retry failed to send (no content, no address)",
       action=N_("list the messages that could not be sent"), patient_param=None)
def parked_messages(ctx):
    return operations.parked_mail(ctx.service)


@route("POST", "/notifications/parked/<string:message_id>/retry", roles=ADMIN, tag=TAG,
       response=MessageRetried, summary="Send a parked message again (after the relay is fixed)",
       action=N_("retry a message"), patient_param=None)
def retry_message(ctx, message_id):
    return operations.retry_mail(ctx.service, message_id)
