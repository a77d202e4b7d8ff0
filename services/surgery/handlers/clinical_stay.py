"""Staff use cases in hospital: the pre-op check, the operation, the ward, the discharge."""
from sqlalchemy import delete, exists, select

from services.surgery.domain import lifecycle, standing
from services.surgery.domain.calendar import DAY
from services.surgery.handlers import booking, cases, planning
from services.surgery.handlers.queries import read_case
from services.surgery.handlers.standing import standing_of
from services.surgery.models import OperatedSide, PostOpImage, PreopCheck, WardBedNight, WardVisit
from services.surgery.settings import SurgerySettings
from shared.clock import ClinicClock
from shared.contracts.surgery import PreopCheckRecorded, SurgeryPerformed, SurgeryRescheduled, WardDischarged
from shared.errors import Conflict


def record_preop_check(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str,
                       check: dict) -> dict:
    """The day-before check. Not fit: surgery is postponed and rescheduled (or blocked).

    The patient has reported at the hospital, so is in the country: a postponement books the
    next feasible date without the travel lead, and says so to travel (hotel extended, only the
    return flight moved). Fit, under the `block` policy, needs the balance paid.
    """
    today = clock.today()

    def work(uow):
        case = cases.get(uow.session, journey_id)
        lifecycle.require("record the pre-op check of", case.status)
        if check["fit"]:
            standing.require_balance_paid(standing_of(uow.session, case), settings.unpaid_balance,
                                          "record the patient fit for surgery")
        checked_on = check.get("checked_on") or case.preop_check_date
        case.in_country_since = lifecycle.in_country_since(case.in_country_since, case.arrival_by, today,
                                                           reported=True)
        uow.session.add(PreopCheck(journey_id=case.journey_id, surgery_date=case.surgery_date,
                                   checked_on=checked_on, fit=check["fit"],
                                   reason_code=check.get("reason_code"), note=check.get("note"),
                                   actor=uow.actor, recorded_at=clock.now()))
        uow.emit(PreopCheckRecorded, {"surgery_id": case.surgery_id, "fit": check["fit"],
                                      "reason_code": check.get("reason_code")}, case.journey_id)
        if check["fit"]:
            case.status = lifecycle.READY
            case.updated_at = clock.now()
            return
        not_before = checked_on + settings.not_fit_postpone_days * DAY
        planning.schedule_or_block(uow, case, settings, clock, today, SurgeryRescheduled,
                                   reason_code="not_fit_for_surgery", not_before=not_before)

    booking.retrying(uow, work)
    return read_case(uow, settings, journey_id)


IMPLANT = ("side", "implant_type", "implant_size", "implant_lot", "implant_serial")


def record_operation(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str,
                     operation: dict) -> dict:
    """The surgery was performed: one record per side operated, each with its implant."""
    with uow:
        case = cases.get(uow.session, journey_id)
        lifecycle.require("record the operation of", case.status)
        standing.require_balance_paid(standing_of(uow.session, case), settings.unpaid_balance,
                                      "record the operation")
        checked_on = uow.session.scalars(select(PreopCheck.checked_on).where(
            PreopCheck.journey_id == case.journey_id, PreopCheck.fit.is_(True))
            .order_by(PreopCheck.id.desc())).first()
        lifecycle.check_operation_date(operation["performed_on"], checked_on)
        lifecycle.check_sides([entry["side"] for entry in operation["sides"]], case.amputation_side)
        implants = []
        for entry in operation["sides"]:
            implant = {key: entry.get(key) for key in IMPLANT}
            complications = sorted(set(entry.get("complications") or ()))
            uow.session.add(OperatedSide(
                journey_id=case.journey_id, surgery_id=case.surgery_id,
                performed_on=operation["performed_on"], **implant, complications=",".join(complications),
                complication_note=entry.get("complication_note"), actor=uow.actor, recorded_at=clock.now()))
            implants.append({**implant, "complications": complications})
        case.status, case.performed_on = lifecycle.IN_WARD, operation["performed_on"]
        case.updated_at = clock.now()
        every = sorted({code for implant in implants for code in implant["complications"]})
        uow.emit(SurgeryPerformed, {"surgery_id": case.surgery_id, "performed_on": operation["performed_on"],
                                    **implants[0], "complications": every, "implants": implants},
                 case.journey_id)
    return read_case(uow, settings, journey_id)


def record_ward_visit(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str,
                      visit: dict) -> dict:
    """A morning or evening visit on the ward; each slot of each day is recorded once."""
    with uow:
        case = cases.get(uow.session, journey_id)
        lifecycle.require("record a ward visit for", case.status)
        lifecycle.check_visit_date(visit["visit_date"], case.performed_on, settings.rules.ward_stay_max_days)
        if uow.session.scalar(select(exists().where(
                WardVisit.journey_id == case.journey_id, WardVisit.visit_date == visit["visit_date"],
                WardVisit.slot == visit["slot"]))):
            raise Conflict(f"the {visit['slot']} visit of {visit['visit_date']} is already recorded")
        uow.session.add(WardVisit(journey_id=case.journey_id, visit_date=visit["visit_date"],
                                  slot=visit["slot"], note=visit["note"], actor=uow.actor,
                                  recorded_at=clock.now()))
    return read_case(uow, settings, journey_id)


def record_image(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str, image: dict) -> dict:
    """The reference to the post-surgery image of the residual limb."""
    with uow:
        case = cases.get(uow.session, journey_id)
        lifecycle.require("record the post-surgery image of", case.status)
        uow.session.add(PostOpImage(journey_id=case.journey_id, reference=image["reference"],
                                    taken_on=image["taken_on"], actor=uow.actor, recorded_at=clock.now()))
    return read_case(uow, settings, journey_id)


def discharge(uow, settings: SurgerySettings, clock: ClinicClock, journey_id: str, command: dict) -> dict:
    """From the ward to the hotel, 3 to 5 days after the operation; rehabilitation follows."""
    with uow:
        case = cases.get(uow.session, journey_id)
        lifecycle.require("discharge", case.status)
        has_image = uow.session.scalar(select(exists().where(PostOpImage.journey_id == case.journey_id)))
        rules = settings.rules
        lifecycle.check_discharge(case.performed_on, command["discharged_on"], rules.ward_stay_min_days,
                                  rules.ward_stay_max_days, bool(has_image))
        case.status, case.discharged_on = lifecycle.DISCHARGED, command["discharged_on"]
        case.updated_at = clock.now()
        uow.session.execute(delete(WardBedNight).where(   # an early discharge frees its bed
            WardBedNight.journey_id == case.journey_id, WardBedNight.night >= command["discharged_on"]))
        uow.emit(WardDischarged, {
            "surgery_id": case.surgery_id, "discharged_on": command["discharged_on"],
            "planned_rehab_end": case.planned_rehab_end, "departure_date": case.departure_date},
            case.journey_id)
    return read_case(uow, settings, journey_id)
