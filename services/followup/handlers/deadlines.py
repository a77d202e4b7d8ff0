"""Follow-up deadlines as facts: a durable timer armed with each deadline, cancelled when it is met.

An image not reviewed by its review date, a complication not acted on by its act-by date and a
check-up with no outcome by the end of its window each become an event of their own
(image_review_overdue, escalation_overdue, checkup_missed) when the deadline passes, emitted by
this service's timer relay (shared/timers.py). Each is armed and cancelled in the transaction of
the use case that sets or meets the deadline.
"""
from datetime import date

from services.followup.domain.checkups import window_ends
from services.followup.models import Checkup, Escalation
from services.followup.settings import Settings
from shared.clock import ClinicClock
from shared.contracts.followup import CheckupMissed, EscalationOverdue, ImageReviewOverdue
from shared.timers import after_day


def arm_review(uow, clock: ClinicClock, journey_id: str, image_id: str, review_due: date) -> None:
    uow.schedule(ImageReviewOverdue, {"image_id": image_id, "review_due": review_due}, journey_id,
                 at=after_day(clock, review_due), key=f"image_review_overdue:{image_id}")


def review_done(uow, image_id: str) -> None:
    uow.cancel_timer(f"image_review_overdue:{image_id}")


def arm_escalation(uow, clock: ClinicClock, escalation: Escalation) -> None:
    uow.schedule(EscalationOverdue, {"escalation_id": escalation.id, "kind": escalation.kind,
                                     "act_by": escalation.act_by}, escalation.journey_id,
                 at=after_day(clock, escalation.act_by), key=f"escalation_overdue:{escalation.id}")


def escalation_done(uow, escalation_id: str) -> None:
    uow.cancel_timer(f"escalation_overdue:{escalation_id}")


def arm_checkup(uow, clock: ClinicClock, s: Settings, checkup: Checkup) -> None:
    last_day = window_ends(checkup.due_on, s.checkup_window_days)
    uow.schedule(CheckupMissed, {"checkup_id": checkup.id, "due_on": checkup.due_on, "window_ends": last_day},
                 checkup.journey_id, at=after_day(clock, last_day), key=f"checkup_missed:{checkup.id}")


def checkup_recorded(uow, checkup_id: str) -> None:
    uow.cancel_timer(f"checkup_missed:{checkup_id}")
