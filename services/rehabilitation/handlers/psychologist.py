"""A psychologist assists if needed: staff ask, and the psychologist records the sessions held."""
from services.rehabilitation import domain
from services.rehabilitation.domain import Rules
from services.rehabilitation.handlers.common import active_plan
from services.rehabilitation.handlers.views import plan_view
from services.rehabilitation.models import PsychologistSession
from shared.clock import ClinicClock
from shared.db import UnitOfWork


def request_psychologist(uow: UnitOfWork, journey_id: str, rules: Rules, clock: ClinicClock) -> dict:
    """Staff ask for a psychologist to assist; the first request's date (the clinic's) is kept."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        plan.psychologist_requested_on = plan.psychologist_requested_on or clock.today()
        return plan_view(uow.session, plan, rules, clock.today())


def record_psychologist_session(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules,
                                clock: ClinicClock) -> dict:
    """A session held with the psychologist, within the stay and not after the clinic's today."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        domain.check_date(data["session_date"], plan.start_date, plan.departure_date, clock.today(),
                          "session_date")
        uow.session.add(PsychologistSession(journey_id=journey_id, recorded_by=uow.actor,
                                            recorded_at=clock.now(), **data))
        uow.session.flush()
        return plan_view(uow.session, plan, rules, clock.today())
