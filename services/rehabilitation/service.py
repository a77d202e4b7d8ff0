"""Rehabilitation (JOURNEY.md stage 4): the weeks between the ward and the flight home."""
from services.rehabilitation import models
from services.rehabilitation.handlers import (
    attendance,
    completion,
    consent,
    erasure,
    plans,
    psychologist,
    sessions,
    views,
    work,
)
from services.rehabilitation.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.rehabilitation import (
    RehabCompletionForm,
    RehabDayForm,
    RehabFittingForm,
    RehabMissedSessionForm,
    RehabPlanView,
    RehabPsychologistSessionForm,
    RehabSessionForm,
    RehabStartLoadForm,
)
from shared.contracts.api.work import WorkQuery, WorkQueues
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class RehabilitationService(HealthEndpoints):
    name = "rehabilitation"

    uow = Database(models.kernel)
    context = CallContext()
    settings = Settings(parse)
    clock = Clock()  # the clinic's today and now (Europe/Amsterdam), not UTC's

    @rpc(expected_exceptions=EXPECTED)
    def get_plan(self, journey_id):
        """The plan and the patient's progress against the target load."""
        return dump(RehabPlanView, views.get_plan(self.uow, journey_id, self.settings, self.clock))

    @rpc(expected_exceptions=EXPECTED)
    def work_queues(self, query):
        """What waits for staff here (My work), per kind asked for: a count and the first items."""
        return dump(WorkQueues, work.queues(self.uow, self.clock, self.settings, load(WorkQuery, query)))

    @rpc(expected_exceptions=EXPECTED)
    def choose_start_load(self, journey_id, data):
        """The physiotherapist picks the start load (5 or 20 kg) before the first session."""
        data = load(RehabStartLoadForm, data)
        return dump(RehabPlanView, sessions.choose_start_load(self.uow, journey_id, data, self.settings,
                                                                   self.clock))

    @rpc(expected_exceptions=EXPECTED)
    def record_session(self, journey_id, data):
        """A physiotherapy session; loads beyond the plan need a reason."""
        data = load(RehabSessionForm, data)
        plan = sessions.record_session(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def record_day(self, journey_id, data):
        """A day of daily rehabilitation done, or missed with a reason; missed days move the end."""
        data = load(RehabDayForm, data)
        plan = attendance.record_day(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def record_missed_session(self, journey_id, data):
        """A supervised session the patient did not attend, with a reason."""
        data = load(RehabMissedSessionForm, data)
        plan = attendance.record_missed_session(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def record_prosthesis_fitted(self, journey_id, data):
        """The prosthesis is fitted once the target load is reached."""
        data = load(RehabFittingForm, data)
        plan = completion.record_prosthesis_fitted(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def complete_rehabilitation(self, journey_id, data):
        """Rehabilitation is complete after gait training: the patient may fly home."""
        data = load(RehabCompletionForm, data)
        plan = completion.complete_rehabilitation(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def request_psychologist(self, journey_id):
        """Staff ask for a psychologist to assist."""
        plan = psychologist.request_psychologist(self.uow, journey_id, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @rpc(expected_exceptions=EXPECTED)
    def record_psychologist_session(self, journey_id, data):
        """A session held with the psychologist."""
        data = load(RehabPsychologistSessionForm, data)
        plan = psychologist.record_psychologist_session(self.uow, journey_id, data, self.settings, self.clock)
        return dump(RehabPlanView, plan)

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        plans.remember_patient(self.uow, event, self.settings, self.clock)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        plans.follow_surgery_plan(self.uow, event)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        plans.follow_surgery_plan(self.uow, event)

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        """The patient withdrew their consent: the plan is withdrawn and nothing restarts it."""
        consent.stop_on_consent_withdrawn(self.uow, event)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        plans.withdraw_for_cancelled_surgery(self.uow, event)

    @handles("surgery", "ward_discharged")
    def on_ward_discharged(self, event):
        plans.start_after_discharge(self.uow, event, self.settings, self.clock)

    @handles("travel", "itinerary_confirmed")
    def on_itinerary_confirmed(self, event):
        attendance.follow_booked_departure(self.uow, event, self.clock)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.confirm_nothing_to_erase(self.uow, event)
