"""After the target load: the prosthesis is adjusted, gait training follows, and the patient flies home."""
from services.rehabilitation import domain
from services.rehabilitation.domain import Rules
from services.rehabilitation.handlers.common import active_plan
from services.rehabilitation.handlers.views import plan_view
from shared.clock import ClinicClock
from shared.contracts.rehabilitation import ProsthesisFitted, RehabCompleted
from shared.db import UnitOfWork
from shared.errors import Conflict


def record_prosthesis_fitted(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules,
                             clock: ClinicClock) -> dict:
    """The prosthesis is adjusted once the target load is reached; gait training follows."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        if plan.target_reached_on is None:
            raise Conflict("the prosthesis is fitted once the target load is reached")
        if plan.prosthesis_fitted_on is not None:
            raise Conflict("the prosthesis fitting is already recorded",
                           fitted_on=str(plan.prosthesis_fitted_on))
        domain.check_date(data["fitted_on"], plan.target_reached_on, plan.departure_date, clock.today(),
                          "fitted_on")
        plan.prosthesis_fitted_on = data["fitted_on"]
        uow.emit(ProsthesisFitted, {"plan_id": plan.plan_id, "fitted_on": plan.prosthesis_fitted_on},
                 journey_id)
        return plan_view(uow.session, plan, rules, clock.today())


def complete_rehabilitation(uow: UnitOfWork, journey_id: str, data: dict, rules: Rules,
                            clock: ClinicClock) -> dict:
    """Rehabilitation is complete: the patient may fly home."""
    with uow:
        plan = active_plan(uow.session, journey_id)
        if plan.prosthesis_fitted_on is None:
            raise Conflict("rehabilitation completes after the prosthesis is fitted and gait training")
        domain.check_date(data["completed_on"], plan.prosthesis_fitted_on, plan.departure_date, clock.today(),
                          "completed_on")
        plan.completed_on, plan.status = data["completed_on"], "completed"
        uow.emit(RehabCompleted, {"plan_id": plan.plan_id, "completed_on": plan.completed_on,
                                  "planned_end": plan.planned_end}, journey_id)
        return plan_view(uow.session, plan, rules, clock.today())
