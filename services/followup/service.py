"""The follow-up service: the years after the patient flies home (JOURNEY.md stage 6)."""
from services.followup import models
from services.followup.adapters.imagestore import ImageStoreProvider
from services.followup.handlers import (
    assessments,
    checkups,
    erasure,
    imaging,
    moves,
    patient_images,
    plans,
    problems,
    records,
    senders,
    viewing,
    work,
)
from services.followup.settings import parse
from shared import consent
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api import followup as api
from shared.contracts.api.work import WorkQuery, WorkQueues
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class FollowupService(HealthEndpoints):
    name = "followup"

    uow = Database(models.kernel)
    files = ImageStoreProvider()
    settings = Settings(parse)
    clock = Clock()
    context = CallContext()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        plans.record_patient_details(self.uow, self.settings, event)

    @handles("surgery", "surgery_performed")
    def on_surgery_performed(self, event):
        plans.record_surgery_date(self.uow, self.clock, self.settings, event)

    @handles("rehabilitation", "rehab_completed")
    def on_rehab_completed(self, event):
        plans.record_flight_home(self.uow, self.clock, self.settings, event)

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        """The patient withdrew their consent: no more follow-up deadlines fall due (no check-up missed,
        no review or escalation overdue); the record stays for its retention period."""
        consent.stop_deadlines(self.uow, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.answer_erasure_request(self.uow, self.files, event)

    @rpc(expected_exceptions=EXPECTED)
    def get_record(self, journey_id):
        """The patient's whole follow-up file (specialist view)."""
        return dump(api.FollowupRecordView, records.get_record(self.uow, self.settings, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def get_schedule(self, journey_id):
        """The patient's check-ups in their own time zone, and their activity advice."""
        return dump(api.FollowupScheduleView, records.get_schedule(self.uow, self.settings, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def set_preferences(self, journey_id, data):
        """The check-up channel and time zone; planned check-ups follow."""
        data = load(api.CheckupPreferencesForm, data)
        return dump(api.FollowupScheduleView,
                    records.set_preferences(self.uow, self.settings, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def record_checkup(self, journey_id, checkup_id, data):
        """A check-up done (with findings), missed (rebooked) or cancelled."""
        data = load(api.CheckupOutcomeForm, data)
        return dump(api.CheckupOutcomeView, checkups.record_checkup(
            self.uow, self.clock, self.settings, journey_id, checkup_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def upload_image(self, journey_id, content_b64, meta):
        """Add an image (base64) to the patient file; only its reference and checksum go further."""
        meta = load(api.ImageUploadForm, meta)
        return dump(api.ImageUploadView, imaging.upload_image(
            self.uow, self.files, self.clock, self.settings, journey_id, content_b64, meta))

    @rpc(expected_exceptions=EXPECTED)
    def set_patient_references(self, journey_id, data):
        """The identifiers the patient's DICOM files may carry."""
        data = load(api.PatientReferencesForm, data)
        return dump(api.PatientReferencesView, imaging.set_patient_references(self.uow, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def assess(self, journey_id, data):
        """Assess an image or a done check-up; concerns are escalated."""
        data = load(api.FollowupAssessmentForm, data)
        return dump(api.FollowupAssessmentView,
                    assessments.assess(self.uow, self.clock, self.settings, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def resolve_escalation(self, journey_id, escalation_id, data):
        """The action taken on a complication."""
        data = load(api.EscalationResolutionForm, data)
        return dump(api.EscalationView, assessments.resolve_escalation(
            self.uow, self.clock, journey_id, escalation_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def set_guidance(self, journey_id, data):
        """A specialist's advice on one activity for this patient."""
        data = load(api.ActivityGuidanceForm, data)
        return dump(api.ActivityGuidanceView, assessments.set_guidance(self.uow, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def overdue(self, as_of=None):
        """Open reviews and escalations past their date (as of a day), and flagged check-ups."""
        as_of = load(api.OverdueQuery, {"as_of": as_of})["as_of"]
        return dump(api.OverdueView, assessments.list_overdue(self.uow, self.clock, as_of))

    @rpc(expected_exceptions=EXPECTED)
    def work_queues(self, query):
        """What waits for the specialist here (My work), per kind asked for: a count and the first items."""
        return dump(WorkQueues, work.queues(self.uow, self.clock, load(WorkQuery, query)))

    @rpc(expected_exceptions=EXPECTED)
    def list_images(self, journey_id):
        """The journey's images (DICOM, photos, letters) with their reviews, newest first."""
        return dump(api.ImageListView, viewing.list_images(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def image_details(self, journey_id, image_id):
        """One image, what its DICOM header says and the identity check's result."""
        return dump(api.ImageDetailsView, viewing.image_details(self.uow, self.files, journey_id, image_id))

    @rpc(expected_exceptions=EXPECTED)
    def image_original(self, journey_id, image_id):
        """The file as it was received (base64)."""
        return dump(api.ImageContentView, viewing.image_original(self.uow, self.files, journey_id, image_id))

    @rpc(expected_exceptions=EXPECTED)
    def image_preview(self, journey_id, image_id, preset):
        """A PNG preview (base64), a DICOM windowed with the preset (e.g. bone)."""
        preset = load(api.ImagePreviewQuery, {"preset": preset})["preset"]
        return dump(api.ImageContentView,
                    viewing.image_preview(self.uow, self.files, journey_id, image_id, preset))

    @rpc(expected_exceptions=EXPECTED)
    def register_sender(self, data):
        """A radiology clinic that may send studies over DICOMweb; its token is answered once."""
        data = load(api.ImageSenderForm, data)
        return dump(api.ImageSenderView, senders.register_sender(self.uow, self.clock, data))

    @rpc(expected_exceptions=EXPECTED)
    def withdraw_sender(self, sender_id):
        """The clinic may send no more studies."""
        return dump(api.ImageSenderView, senders.withdraw_sender(self.uow, sender_id))

    @rpc(expected_exceptions=EXPECTED)
    def receive_studies(self, token, parts_b64):
        """The instances of a STOW-RS request from a sending clinic, each onto its journey."""
        return dump(api.StudiesReceivedView, senders.receive_studies(
            self.uow, self.files, self.clock, self.settings, token, parts_b64))

    @rpc(expected_exceptions=EXPECTED)
    def report_problem(self, journey_id, data):
        """A problem the patient reports: escalated as a complication; says what to do now if urgent."""
        data = load(api.ProblemReportForm, data)
        return dump(api.ProblemReportView, problems.report_problem(
            self.uow, self.clock, self.settings, journey_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def problem_reports(self, journey_id):
        """The problems the patient reported, newest first, each with its escalation."""
        return dump(api.ProblemReportListView, problems.problem_reports(self.uow, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def sent_images(self, journey_id):
        """The images in the patient file, whether each is reviewed, and the upload limit."""
        return dump(api.SentImagesView, patient_images.sent_images(self.uow, self.settings, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def request_checkup_move(self, journey_id, checkup_id, data):
        """The patient asks to move a check-up still to come; the follow-up staff see the request."""
        data = load(api.CheckupMoveForm, data)
        return dump(api.CheckupMoveView,
                    moves.request_move(self.uow, self.clock, journey_id, checkup_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def move_checkup(self, journey_id, checkup_id, data):
        """Staff move a planned check-up to another day; the patient's request, if any, is answered."""
        data = load(api.CheckupRescheduleForm, data)
        return dump(api.CheckupView, moves.move_checkup(self.uow, self.clock, self.settings, journey_id,
                                                        checkup_id, data))

    @rpc(expected_exceptions=EXPECTED)
    def checkup_move_requests(self, journey_id=None):
        """Requests to move a check-up that is still planned, oldest first (one journey's, or all)."""
        return dump(api.CheckupMoveView, moves.open_requests(self.uow, journey_id), many=True)
