"""The journey service: one read model of every patient's journey, fed by every event."""
from services.journey import models
from services.journey.handlers import erasure, projection, views
from services.journey.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.journey import (
    ErasureStatus,
    FhirPersonalDetails,
    JourneyBoardItem,
    JourneyBoardPage,
    JourneyBoardPageQuery,
    JourneyBoardQuery,
    JourneyIds,
    JourneyRef,
    JourneyStage,
    JourneyTimeline,
    PatientJourneyView,
    ProjectionRebuild,
)
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class JourneyService(HealthEndpoints):
    """Records every fact of every journey and answers what the board, timeline and patient ask."""
    name = "journey"

    uow = Database(models.kernel)
    context = CallContext()
    settings = Settings(parse)
    clock = Clock()

    @rpc(expected_exceptions=EXPECTED)
    def board(self, stage=None, stalled_only=False, limit=200):
        """Journeys by stage, stalled ones first."""
        query = load(JourneyBoardQuery, {"stage": stage, "stalled_only": stalled_only, "limit": limit})
        return dump(JourneyBoardItem, views.journey_board(self.uow, self.settings, self.clock, **query),
                    many=True)

    @rpc(expected_exceptions=EXPECTED)
    def board_page(self, query):
        """One page of the board, of a stage and a stall reason, with the totals."""
        query = load(JourneyBoardPageQuery, query)
        return dump(JourneyBoardPage, views.board_page(self.uow, self.settings, self.clock, **query))

    @rpc(expected_exceptions=EXPECTED)
    def stages(self, journey_ids):
        """Where each of these journeys is, in one call."""
        asked = load(JourneyIds, {"journey_ids": journey_ids})["journey_ids"]
        return dump(JourneyStage, views.stages_of(self.uow, [str(j) for j in asked]), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def timeline(self, journey_id):
        """One journey's facts in causal order, with its stage, waits and stalls."""
        journey_id = load(JourneyRef, {"journey_id": journey_id})["journey_id"]
        return dump(JourneyTimeline, views.journey_timeline(self.uow, self.settings, self.clock, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def patient_view(self, journey_id):
        """The patient's next steps and appointments, in plain words."""
        journey_id = load(JourneyRef, {"journey_id": journey_id})["journey_id"]
        return dump(PatientJourneyView, views.patient_view(self.uow, self.clock, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def export_fhir(self, journey_id, personal=None):
        """The journey as a FHIR Bundle (already JSON); `personal` names the patient, if given."""
        journey_id = load(JourneyRef, {"journey_id": journey_id})["journey_id"]
        return views.export_fhir(self.uow, self.clock, journey_id, load(FhirPersonalDetails, personal or {}))

    @rpc(expected_exceptions=EXPECTED)
    def request_erasure(self, journey_id):
        """Ask every service to erase an enquirer's personal data."""
        journey_id = load(JourneyRef, {"journey_id": journey_id})["journey_id"]
        return dump(ErasureStatus, erasure.request_erasure(self.uow, self.clock, self.settings, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def erasure_requests(self, journey_id):
        """A journey's erasure requests, newest first, with each service's answer."""
        journey_id = load(JourneyRef, {"journey_id": journey_id})["journey_id"]
        return dump(ErasureStatus, erasure.erasure_requests(self.uow, self.settings, journey_id), many=True)

    @rpc(expected_exceptions=EXPECTED)
    def rebuild_projection(self):
        """Derive the board and every timeline again from the stored history."""
        return dump(ProjectionRebuild, projection.rebuild_projection(self.uow))

    # Every event of every contract in shared/contracts is a fact of its journey: one handler
    # (and queue) each, all recording the fact (domain/catalogue.py lists them; a test checks).

    # Enquiries (stage 1: enquiry, screening, decision)
    @handles("enquiries", "brochure_requested")
    def on_brochure_requested(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "enquiry_received")
    def on_enquiry_received(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "erasure_confirmed")
    def on_enquiries_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "passenger_identity_recorded")
    def on_passenger_identity_recorded(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "patient_declined")
    def on_patient_declined(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "prescreen_decided")
    def on_prescreen_decided(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "screening_step_completed")
    def on_screening_step_completed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "screening_appointment_planned")
    def on_screening_appointment_planned(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "screening_appointment_moved")
    def on_screening_appointment_moved(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "screening_appointment_cancelled")
    def on_screening_appointment_cancelled(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "second_opinion_requested")
    def on_second_opinion_requested(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "second_opinion_booked")
    def on_second_opinion_booked(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "second_opinion_held")
    def on_second_opinion_held(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "second_opinion_missed")
    def on_second_opinion_missed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "second_opinion_concluded")
    def on_second_opinion_concluded(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Payments (stage 2)
    @handles("payments", "deposit_paid")
    def on_deposit_paid(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "erasure_confirmed")
    def on_payments_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "invoice_issued")
    def on_invoice_issued(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "invoice_paid")
    def on_invoice_paid(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "payment_failed")
    def on_payment_failed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "refund_issued")
    def on_refund_issued(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "refund_requested")
    def on_refund_requested(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "payment_disputed")
    def on_payment_disputed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "payment_dispute_closed")
    def on_payment_dispute_closed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "balance_due_dated")
    def on_balance_due_dated(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Deadlines as facts: emitted by their producers' timer relays when a deadline passes unmet
    # (and followup's imaging_reviewed, which settles an image's review).
    @handles("payments", "deposit_overdue")
    def on_deposit_overdue(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("payments", "balance_overdue")
    def on_balance_overdue(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("enquiries", "questionnaire_overdue")
    def on_questionnaire_overdue(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "imaging_reviewed")
    def on_imaging_reviewed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "checkup_assessed")
    def on_checkup_assessed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "image_review_overdue")
    def on_image_review_overdue(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "escalation_overdue")
    def on_escalation_overdue(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "checkup_missed")
    def on_checkup_missed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Travel
    @handles("travel", "erasure_confirmed")
    def on_travel_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "itinerary_cancelled")
    def on_itinerary_cancelled(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "itinerary_change_requested")
    def on_itinerary_change_requested(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "itinerary_confirmed")
    def on_itinerary_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "itinerary_requested")
    def on_itinerary_requested(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "travel_conflict_detected")
    def on_travel_conflict_detected(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("travel", "travel_desk_task_resolved")
    def on_travel_desk_task_resolved(self, event):
        projection.record_fact(self.uow, event, self.clock)

    @handles("travel", "travel_desk_task_opened")
    def on_travel_desk_task_opened(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Surgery and the clinical stay (stage 3)
    @handles("surgery", "erasure_confirmed")
    def on_surgery_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "preop_check_recorded")
    def on_preop_check_recorded(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "surgery_cancelled")
    def on_surgery_cancelled(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "surgery_performed")
    def on_surgery_performed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "surgery_rescheduled")
    def on_surgery_rescheduled(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "surgery_scheduled")
    def on_surgery_scheduled(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "surgery_scheduling_blocked")
    def on_surgery_scheduling_blocked(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("surgery", "ward_discharged")
    def on_ward_discharged(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Rehabilitation (stage 4)
    @handles("rehabilitation", "erasure_confirmed")
    def on_rehabilitation_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "prosthesis_fitted")
    def on_prosthesis_fitted(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_attention_needed")
    def on_rehab_attention_needed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_completed")
    def on_rehab_completed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_plan_created")
    def on_rehab_plan_created(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_plan_withdrawn")
    def on_rehab_plan_withdrawn(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_target_load_reached")
    def on_rehab_target_load_reached(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("rehabilitation", "rehab_behind_plan")
    def on_rehab_behind_plan(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Follow-up (stage 5)
    @handles("followup", "checkup_completed")
    def on_checkup_completed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "checkup_moved")
    def on_checkup_moved(self, event):
        projection.record_fact(self.uow, event, self.clock)

    @handles("followup", "complication_reported")
    def on_complication_reported(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "erasure_confirmed")
    def on_followup_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "escalation_resolved")
    def on_escalation_resolved(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "followup_planned")
    def on_followup_planned(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("followup", "imaging_received")
    def on_imaging_received(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # Notifications: the reminders it sent the patient, the messages with the care team, its erasure answer
    @handles("notifications", "erasure_confirmed")
    def on_notifications_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("notifications", "preop_reminder_due")
    def on_preop_reminder_due(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("notifications", "checkup_reminder_due")
    def on_checkup_reminder_due(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("notifications", "care_message_posted")
    def on_care_message_posted(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    # The journey's own erasure request
    @handles("journey", "erasure_confirmed")
    def on_journey_erasure_confirmed(self, event):
        projection.record_fact(self.uow, event, self.clock, self.settings)

    @handles("journey", "retention_ended")
    def on_retention_ended(self, event):
        """Our own retention timer: the record's period ended, so every service is asked to purge it."""
        erasure.purge_on_retention_end(self.uow, event, self.clock, self.settings)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        erasure.answer_erasure(self.uow, event, self.clock, self.settings)
