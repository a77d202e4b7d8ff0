"""The patient's reminder preferences: check-up reminders on or off, for the patient's own link and
for staff who speak with them. Care-critical messages (a surgery change, a missed check-up) always go."""
from services.gateway.adapters.routing import route
from services.gateway.domain.roles import ADMIN, INTAKE, PATIENT, SPECIALIST
from shared.contracts.api.notifications import ReminderPreferencesForm, ReminderPreferencesView
from shared.edge import dump

TAG = "notifications"
WHO = {PATIENT, INTAKE, SPECIALIST, ADMIN}
PATH = "/journeys/<uuid:journey_id>/reminder-preferences"


@route("GET", PATH, roles=WHO, tag=TAG, summary="Read whether the patient gets check-up reminders",
       response=ReminderPreferencesView, action="read a patient's reminder preferences")
def reminder_preferences(ctx, journey_id):
    return ctx.rpc("notifications").reminder_preferences(str(journey_id))


@route("PUT", PATH, roles=WHO, tag=TAG, body=ReminderPreferencesForm, response=ReminderPreferencesView,
       summary="Turn email reminders of check-ups on or off (care-critical messages always go)",
       action="set a patient's reminder preferences")
def set_reminder_preferences(ctx, journey_id):
    return ctx.rpc("notifications").set_reminder_preferences(str(journey_id),
                                                             dump(ReminderPreferencesForm, ctx.body))
