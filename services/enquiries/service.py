"""The enquiries service: enquiries, pre-screening, screening and the acceptance decision."""
from nameko.dependency_providers import Config

from services.enquiries import models
from services.enquiries.handlers import erasure, intake, prescreening, queries, questionnaire, screening
from services.enquiries.settings import EnquirySettings
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


class EnquiriesService(HealthEndpoints):
    name = "enquiries"

    uow = Database(models.kernel)
    config = Config()
    context = CallContext()
    settings = EnquirySettings()

    @rpc(expected_exceptions=EXPECTED)
    def submit_enquiry(self, kind, form):
        """A public enquiry (suitability, brochure, second_opinion); answers its journey and pre-screen."""
        return intake.submit_enquiry(self.uow, self.settings, kind, form)

    @rpc(expected_exceptions=EXPECTED)
    def worklist(self, query):
        return queries.worklist(self.uow, query)

    @rpc(expected_exceptions=EXPECTED)
    def get_enquiry(self, journey_id):
        return queries.detail(self.uow, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def override_prescreen(self, journey_id, command):
        return prescreening.override_prescreen(self.uow, self.settings, journey_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def rescreen(self, journey_id, command):
        return prescreening.rescreen(self.uow, self.settings, journey_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def plan_appointment(self, journey_id, command):
        return screening.plan_appointment(self.uow, self.settings, journey_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def change_appointment(self, journey_id, appointment_id, command):
        return screening.change_appointment(self.uow, self.settings, journey_id, appointment_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def complete_step(self, journey_id, step):
        return screening.complete_step(self.uow, self.settings, journey_id, step)

    @rpc(expected_exceptions=EXPECTED)
    def skip_step(self, journey_id, step, command):
        return screening.skip_step(self.uow, self.settings, journey_id, step, command)

    @rpc(expected_exceptions=EXPECTED)
    def decide(self, journey_id, command):
        return screening.decide(self.uow, self.settings, journey_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def open_questionnaire(self, journey_id):
        return questionnaire.open_questionnaire(self.uow, self.settings, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def show_questionnaire(self, journey_id):
        return questionnaire.show_questionnaire(self.uow, self.settings, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def save_answers(self, journey_id, command):
        return questionnaire.save_answers(self.uow, self.settings, journey_id, command)

    @rpc(expected_exceptions=EXPECTED)
    def submit_questionnaire(self, journey_id):
        return questionnaire.submit_questionnaire(self.uow, self.settings, journey_id)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        """Forget an enquirer who never became a patient; keep a patient's record (20 years)."""
        erasure.erase_personal_data(self.uow, self.settings, event)
