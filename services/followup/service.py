"""The follow-up service: the years after the patient flies home (JOURNEY.md stage 6)."""

from services.followup import models
from services.followup.filestore import FileStoreProvider
from services.followup.handlers import assessments, checkups, erasure, imaging, plans
from services.followup.settings import SettingsProvider
from shared.consumers import rpc
from shared.context import CallContext
from shared.db import Database
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints


class FollowupService(HealthEndpoints):
    name = "followup"

    uow = Database(models.kernel)
    files = FileStoreProvider()
    settings = SettingsProvider()
    context = CallContext()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        plans.on_patient_accepted(self.uow, self.settings, event)

    @handles("surgery", "surgery_performed")
    def on_surgery_performed(self, event):
        plans.on_surgery_performed(self.uow, self.settings, event)

    @handles("rehabilitation", "rehab_completed")
    def on_rehab_completed(self, event):
        plans.on_rehab_completed(self.uow, self.settings, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.on_erasure_requested(self.uow, event)

    @rpc(expected_exceptions=EXPECTED)
    def get_record(self, journey_id):
        """The patient's whole follow-up file (specialist view)."""
        return plans.get_record(self.uow, self.settings, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def get_schedule(self, journey_id):
        """The patient's check-ups in their own time zone, and their activity advice."""
        return plans.get_schedule(self.uow, self.settings, journey_id)

    @rpc(expected_exceptions=EXPECTED)
    def set_preferences(self, journey_id, data):
        return plans.set_preferences(self.uow, self.settings, journey_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def record_checkup(self, journey_id, checkup_id, data):
        return checkups.record_checkup(self.uow, self.settings, journey_id, checkup_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def upload_image(self, journey_id, content_b64, meta):
        """Add an image (base64) to the patient file; only its reference and checksum go further."""
        return imaging.upload_image(self.uow, self.files, self.settings, journey_id, content_b64, meta)

    @rpc(expected_exceptions=EXPECTED)
    def set_patient_references(self, journey_id, data):
        return imaging.set_references(self.uow, journey_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def assess(self, journey_id, data):
        return assessments.assess(self.uow, self.settings, journey_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def resolve_escalation(self, journey_id, escalation_id, data):
        return assessments.resolve_escalation(self.uow, journey_id, escalation_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def set_guidance(self, journey_id, data):
        return assessments.set_guidance(self.uow, journey_id, data)

    @rpc(expected_exceptions=EXPECTED)
    def overdue(self, as_of=None):
        """Open reviews and escalations past their date (as of a day), and flagged check-ups."""
        return assessments.overdue(self.uow, as_of)

