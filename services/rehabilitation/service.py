"""Rehabilitation (JOURNEY.md stage 4): the weeks between the ward and the flight home."""

from nameko.dependency_providers import Config

from services.rehabilitation import commands, handlers, models
from services.rehabilitation.schemas import (
    CompletionIn,
    PlanView,
    ProsthesisFittedIn,
    PsychologistSessionIn,
    SessionIn,
    StartLoadIn,
    load,
)
from services.rehabilitation.settings import RehabRules
from shared import clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


def dump(view: dict) -> dict:
    return PlanView().dump(view)


class RehabilitationService(HealthEndpoints):
    name = "rehabilitation"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    rules = RehabRules()

    @rpc(expected_exceptions=EXPECTED)
    def get_plan(self, journey_id):
        """The plan and the patient's progress against the target load."""
        return dump(commands.get_plan(self.uow, journey_id, self.rules))

    @rpc(expected_exceptions=EXPECTED)
    def choose_start_load(self, journey_id, data):
        return dump(commands.choose_start_load(self.uow, journey_id, load(StartLoadIn, data), self.rules))

    @rpc(expected_exceptions=EXPECTED)
    def record_session(self, journey_id, data):
        """A physiotherapy session; loads beyond the plan need a reason."""
        return dump(commands.record_session(self.uow, journey_id, load(SessionIn, data), self.rules,
                                            clock.today()))

    @rpc(expected_exceptions=EXPECTED)
    def record_prosthesis_fitted(self, journey_id, data):
        return dump(commands.record_prosthesis_fitted(self.uow, journey_id, load(ProsthesisFittedIn, data),
                                                      self.rules, clock.today()))

    @rpc(expected_exceptions=EXPECTED)
    def complete_rehabilitation(self, journey_id, data):
        return dump(commands.complete_rehabilitation(self.uow, journey_id, load(CompletionIn, data),
                                                     self.rules, clock.today()))

    @rpc(expected_exceptions=EXPECTED)
    def request_psychologist(self, journey_id):
        return dump(commands.request_psychologist(self.uow, journey_id, self.rules, clock.today()))

    @rpc(expected_exceptions=EXPECTED)
    def record_psychologist_session(self, journey_id, data):
        data = load(PsychologistSessionIn, data)
        return dump(commands.record_psychologist_session(self.uow, journey_id, data, self.rules,
                                                         clock.today()))

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        handlers.remember_patient(self.uow, event, self.rules)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        handlers.follow_surgery_plan(self.uow, event)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        handlers.follow_surgery_plan(self.uow, event)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        handlers.withdraw_for_cancelled_surgery(self.uow, event)

    @handles("surgery", "ward_discharged")
    def on_ward_discharged(self, event):
        handlers.start_after_discharge(self.uow, event, self.rules)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        handlers.confirm_erasure(self.uow, event)
