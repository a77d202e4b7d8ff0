"""The enquiries service: enquiries, pre-screening, screening and the acceptance decision."""
from nameko.rpc import RpcProxy

from services.enquiries import models
from services.enquiries.handlers import (
    consents,
    contacts,
    erasure,
    health_questions,
    intake,
    link_requests,
    passengers,
    prescreening,
    queries,
    questionnaire,
    screening,
    search,
    second_opinion,
    work,
)
from services.enquiries.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.enquiries import commands, forms, views
from shared.contracts.api.enquiries import consents as consent_api
from shared.contracts.api.enquiries import passengers as passenger_api
from shared.contracts.api.enquiries import search as search_api
from shared.contracts.api.enquiries.link_requests import LinkRequest
from shared.contracts.api.notifications import ContactDetails
from shared.contracts.api.work import WorkQuery, WorkQueues
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class EnquiriesService(HealthEndpoints):
    name = "enquiries"

    uow = Database(models.kernel)
    context = CallContext()
    settings = Settings(parse)
    clock = Clock()
    notifications_rpc = RpcProxy("notifications")

    @rpc(expected_exceptions=EXPECTED)
    def submit_enquiry(self, kind, form):
        """A public enquiry (suitability, brochure, second_opinion); answers its journey and pre-screen."""
        data = load(forms.enquiry_form(kind), form)
        receipt = intake.submit_enquiry(self.uow, self.settings, self.clock, kind, data)
        return dump(views.EnquiryReceipt, receipt)

    @rpc(expected_exceptions=EXPECTED)
    def worklist(self, query):
        """Enquiries in queue order, filtered and a page at a time."""
        page = queries.worklist(self.uow, load(commands.EnquiryWorklistQuery, query))
        return dump(views.EnquiryWorklistPage, page)

    @rpc(expected_exceptions=EXPECTED)
    def get_enquiry(self, journey_id):
        """One enquiry in full."""
        return dump(views.EnquiryDetail, queries.detail(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def search_patients(self, query, limit=20, offset=0):
        """The people a name, email, date of birth or journey id finds (staff's Find a patient)."""
        asked = load(search_api.PatientSearch, {"query": query, "limit": limit, "offset": offset})
        return dump(search_api.PatientSearchPage,
                    search.search_patients(self.uow, asked["query"], asked["limit"], asked["offset"]))

    @rpc(expected_exceptions=EXPECTED)
    def names_for(self, journey_ids):
        """The names of these journeys' people, in one call (a page of the board)."""
        asked = load(search_api.JourneyNames, {"journey_ids": journey_ids})["journey_ids"]
        return dump(search_api.JourneyName, search.names_for(self.uow, [str(j) for j in asked]), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def work_queues(self, query):
        """What waits for staff here (My work), per kind asked for: a count and the first items."""
        return dump(WorkQueues, work.queues(self.uow, self.clock, self.settings, load(WorkQuery, query)))

    @rpc(expected_exceptions=EXPECTED)
    def override_prescreen(self, journey_id, command):
        """Staff replace the pre-screen outcome, with a reason."""
        override = load(commands.PrescreenOverride, command)
        return dump(views.PrescreenOutcome,
                    prescreening.override_prescreen(self.uow, self.clock, journey_id, override))

    @rpc(expected_exceptions=EXPECTED)
    def rescreen(self, journey_id, command):
        """Pre-screen again on new facts."""
        facts = load(commands.RescreenFacts, command)
        return dump(views.PrescreenOutcome,
                    prescreening.rescreen(self.uow, self.settings, self.clock, journey_id, facts))

    @rpc(expected_exceptions=EXPECTED)
    def plan_appointment(self, journey_id, command):
        """Plan an appointment of a screening step."""
        appointment = load(commands.ScreeningAppointment, command)
        return dump(views.ScreeningAppointmentView,
                    screening.plan_appointment(self.uow, self.clock, journey_id, appointment))

    @rpc(expected_exceptions=EXPECTED)
    def change_appointment(self, journey_id, appointment_id, command):
        """Move an appointment, or record how it went."""
        change = load(commands.ScreeningAppointmentChange, command)
        return dump(views.ScreeningAppointmentView,
                    screening.change_appointment(self.uow, self.clock, journey_id, appointment_id, change))

    @rpc(expected_exceptions=EXPECTED)
    def complete_step(self, journey_id, step):
        """Complete a step that no appointment or submission completes."""
        return dump(views.ScreeningStepView, screening.complete_step(self.uow, self.clock, journey_id, step))

    @rpc(expected_exceptions=EXPECTED)
    def skip_step(self, journey_id, step, command):
        """Skip a screening step, with a reason."""
        skip = load(commands.StepSkip, command)
        return dump(views.ScreeningStepView,
                    screening.skip_step(self.uow, self.clock, journey_id, step, skip))

    @rpc(expected_exceptions=EXPECTED)
    def decide(self, journey_id, command):
        """Accept or decline the patient after screening."""
        decision = load(commands.ScreeningDecision, command)
        return dump(views.ScreeningDecisionView, screening.decide(self.uow, self.clock, journey_id, decision))

    @rpc(expected_exceptions=EXPECTED)
    def open_questionnaire(self, journey_id):
        """Make the questionnaire ready for the patient."""
        response = questionnaire.open_questionnaire(self.uow, self.settings, self.clock, journey_id)
        return dump(views.ScreeningQuestionnaireStatus, response)

    @rpc(expected_exceptions=EXPECTED)
    def show_questionnaire(self, journey_id):
        """The questions and the answers saved so far."""
        shown = questionnaire.show_questionnaire(self.uow, self.settings, self.clock, journey_id)
        return dump(views.ScreeningQuestionnaireView, shown)

    @rpc(expected_exceptions=EXPECTED)
    def save_answers(self, journey_id, command):
        """Save some answers (partial saves are kept)."""
        answers = load(commands.QuestionnaireAnswers, command)["answers"]
        saved = questionnaire.save_answers(self.uow, self.settings, self.clock, journey_id, answers)
        return dump(views.ScreeningQuestionnaireView, saved)

    @rpc(expected_exceptions=EXPECTED)
    def submit_questionnaire(self, journey_id):
        """Hand in the questionnaire."""
        submitted = questionnaire.submit_questionnaire(self.uow, self.settings, self.clock, journey_id)
        return dump(views.ScreeningQuestionnaireView, submitted)

    @rpc(expected_exceptions=EXPECTED)
    def consents(self, journey_id):
        """The journey's consents as records: text version, language, when, which form, withdrawn."""
        return dump(consent_api.ConsentView, consents.consents_of(self.uow, journey_id), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def withdraw_consent(self, journey_id, command):
        """Withdraw a consent; every stage stops what depends on it (announced as consent_withdrawn)."""
        asked = load(consent_api.ConsentWithdrawal, command)
        withdrawn = consents.withdraw_consent(self.uow, self.clock, journey_id, asked["purpose"],
                                              asked["channel"])
        return dump(consent_api.ConsentView, withdrawn)

    @rpc(expected_exceptions=EXPECTED)
    def contact_for(self, journey_id):
        """Email, name and language of the journey's person, for a message sent now."""
        return dump(ContactDetails, contacts.contact_for(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def request_patient_link(self, email):
        """Someone asked on the portal for a new link to this address: notifications sends one for its
        newest active journey, if it has one. Answers nothing either way (the gateway does not wait)."""
        asked = load(LinkRequest, {"email": email})["email"]
        link_requests.request_link(self.uow, self.notifications_rpc, asked)

    @rpc(expected_exceptions=EXPECTED)
    def book_second_opinion(self, journey_id, command):
        """Book the second-opinion appointment at the partner clinic (again, after a missed one)."""
        booking = load(commands.SecondOpinionBooking, command)
        return dump(views.SecondOpinionView, second_opinion.book(self.uow, self.clock, journey_id, booking))

    @rpc(expected_exceptions=EXPECTED)
    def change_second_opinion_appointment(self, journey_id, appointment_id, command):
        """Record how a second-opinion appointment went, or move it."""
        change = load(commands.SecondOpinionAppointmentChange, command)
        return dump(views.SecondOpinionView, second_opinion.change_appointment(
            self.uow, self.clock, journey_id, appointment_id, change))

    @rpc(expected_exceptions=EXPECTED)
    def conclude_second_opinion(self, journey_id, command):
        """Close a second opinion with its outcome (advised_to_enquire opens a suitability enquiry)."""
        conclusion = load(commands.SecondOpinionConclusion, command)
        return dump(views.SecondOpinionView,
                    second_opinion.conclude(self.uow, self.clock, journey_id, conclusion))

    @rpc(expected_exceptions=EXPECTED)
    def answer_health_questions(self, journey_id, command):
        """The health questions a suitability enquiry from a second opinion still needs; then pre-screen."""
        answers = load(commands.HealthAnswers, command)
        return dump(views.PrescreenOutcome, health_questions.answer_health_questions(
            self.uow, self.settings, self.clock, journey_id, answers))

    @rpc(expected_exceptions=EXPECTED)
    def passenger_identity(self, journey_id):
        """The passenger as on the passport, for travel's bookings; NotFound/Conflict if not recorded."""
        return dump(passenger_api.PassengerIdentityView, passengers.passenger_identity(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def record_passenger_identity(self, journey_id, command):
        """Staff record or correct the passenger's name as on the passport, and nationality."""
        identity = load(passenger_api.PassengerIdentityForm, command)
        return dump(passenger_api.PassengerIdentityRecorded,
                    passengers.record_passenger_identity(self.uow, journey_id, identity))

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        """Forget an enquirer who never became a patient; keep a patient's record (20 years)."""
        erasure.erase_personal_data(self.uow, self.clock, event)
