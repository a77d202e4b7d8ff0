"""The surgery service: the operating calendar and the clinical stay up to the hotel."""

from services.surgery import models
from services.surgery.handlers import clinical_stay, consent, erasure, queries, scheduling, standing, work
from services.surgery.settings import parse
from shared.clock import Clock
from shared.consumers import rpc
from shared.context import CallContext
from shared.contracts.api.surgery import (
    CancelSurgery,
    OperatingCalendarQuery,
    OperatingDay,
    PostSurgeryImage,
    PreopCheckResult,
    RescheduleSurgery,
    ScheduleSurgery,
    SurgeryCaseView,
    SurgeryOperation,
    WardDischarge,
    WardVisitNote,
)
from shared.contracts.api.work import WorkQuery, WorkQueues
from shared.db import Database
from shared.edge import dump, load
from shared.errors import EXPECTED
from shared.handlers import handles
from shared.health import HealthEndpoints
from shared.settings import Settings


class SurgeryService(HealthEndpoints):
    name = "surgery"

    uow = Database(models.kernel)
    context = CallContext()
    settings = Settings(parse)
    clock = Clock()

    @handles("enquiries", "patient_accepted")
    def on_patient_accepted(self, event):
        """Remember the acceptance; schedule if the deposit is paid too."""
        scheduling.record_acceptance(self.uow, self.settings, self.clock, event)

    @handles("payments", "deposit_paid")
    def on_deposit_paid(self, event):
        """Remember the deposit; schedule if the patient is accepted too."""
        scheduling.record_deposit(self.uow, self.settings, self.clock, event)

    @handles("payments", "balance_due_dated")
    def on_balance_due_dated(self, event):
        """Remember what is still owed and by when (the pre-op check shows it)."""
        standing.record_balance_dated(self.uow, self.clock, event)

    @handles("payments", "invoice_paid")
    def on_invoice_paid(self, event):
        """The balance is paid: nothing of the price stands between the patient and surgery."""
        standing.record_invoice_paid(self.uow, self.clock, event)

    @handles("payments", "payment_disputed")
    def on_payment_disputed(self, event):
        """The surgery now rests on a disputed payment (the planner sees it)."""
        standing.record_dispute(self.uow, self.clock, event)

    @handles("payments", "payment_dispute_closed")
    def on_payment_dispute_closed(self, event):
        """A dispute was won or lost: it no longer stands open."""
        standing.record_dispute_closed(self.uow, self.clock, event)

    @handles("enquiries", "consent_withdrawn")
    def on_consent_withdrawn(self, event):
        """The patient withdrew their consent: the surgery does not go on."""
        consent.stop_on_consent_withdrawn(self.uow, self.clock, event)

    @handles("journey", "erasure_requested")
    def on_erasure_requested(self, event):
        """Confirm the erasure: nothing of an enquirer's is held here."""
        erasure.confirm_nothing_held(self.uow, event)

    @rpc(expected_exceptions=EXPECTED)
    def get_case(self, journey_id):
        """The journey's surgery case: status, plan and clinical record."""
        return dump(SurgeryCaseView, queries.read_case(self.uow, self.settings, journey_id))

    @rpc(expected_exceptions=EXPECTED)
    def get_calendar(self, query):
        """Booked, free and closed operating days from start to end."""
        days = queries.read_calendar(self.uow, self.settings, load(OperatingCalendarQuery, query))
        return dump(OperatingDay, days, many=True)

    @rpc(expected_exceptions=EXPECTED)
    def work_queues(self, query):
        """What waits for the planner here (My work), per kind asked for: a count and the first items."""
        return dump(WorkQueues, work.queues(self.uow, self.clock, load(WorkQuery, query)))

    @rpc(expected_exceptions=EXPECTED)
    def schedule(self, journey_id, command):
        """Book a blocked case (a planner's action)."""
        case = scheduling.schedule(self.uow, self.settings, self.clock, journey_id,
                                   load(ScheduleSurgery, command))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def reschedule(self, journey_id, command):
        """Move a scheduled surgery, with a reason."""
        case = scheduling.reschedule(self.uow, self.settings, self.clock, journey_id,
                                     load(RescheduleSurgery, command))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def cancel(self, journey_id, command):
        """Cancel the surgery, with a reason, and free its capacity."""
        case = scheduling.cancel(self.uow, self.settings, self.clock, journey_id,
                                 load(CancelSurgery, command))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def record_preop_check(self, journey_id, check):
        """The day-before check; not fit postpones and reschedules the surgery."""
        case = clinical_stay.record_preop_check(self.uow, self.settings, self.clock, journey_id,
                                                load(PreopCheckResult, check))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def record_operation(self, journey_id, operation):
        """The operation performed and the implant placed."""
        case = clinical_stay.record_operation(self.uow, self.settings, self.clock, journey_id,
                                              load(SurgeryOperation, operation))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def record_ward_visit(self, journey_id, visit):
        """A morning or evening visit on the ward."""
        case = clinical_stay.record_ward_visit(self.uow, self.settings, self.clock, journey_id,
                                               load(WardVisitNote, visit))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def record_image(self, journey_id, image):
        """The post-surgery image of the residual limb."""
        case = clinical_stay.record_image(self.uow, self.settings, self.clock, journey_id,
                                          load(PostSurgeryImage, image))
        return dump(SurgeryCaseView, case)

    @rpc(expected_exceptions=EXPECTED)
    def discharge(self, journey_id, command):
        """From the ward to the hotel."""
        case = clinical_stay.discharge(self.uow, self.settings, self.clock, journey_id,
                                       load(WardDischarge, command))
        return dump(SurgeryCaseView, case)
