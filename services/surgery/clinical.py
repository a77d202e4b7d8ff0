"""Staff use cases in hospital: the pre-op check, the operation, the ward, the discharge."""
from sqlalchemy import delete, exists, select

from services.surgery import booking, cases, domain, planning
from services.surgery.models import OperationRecord, PostOpImage, PreopCheck, WardBedNight, WardVisit
from services.surgery.scheduling import DAY
from services.surgery.settings import SurgerySettings
from shared.errors import Conflict


def record_preop_check(uow, settings: SurgerySettings, journey_id: str, check: dict) -> None:
    """The day-before check. Not fit: surgery is postponed and rescheduled (or blocked)."""
    today = settings.today()

    def work(uow):
        case = cases.get(uow.session, journey_id)
        domain.require("record the pre-op check of", case.status)
        checked_on = check.get("checked_on") or case.preop_check_date
        uow.session.add(PreopCheck(journey_id=case.journey_id, surgery_date=case.surgery_date,
                                   checked_on=checked_on, fit=check["fit"],
                                   reason_code=check.get("reason_code"), note=check.get("note"),
                                   actor=uow.actor, recorded_at=cases.now()))
        uow.emit("preop_check_recorded", {"surgery_id": case.surgery_id, "fit": check["fit"],
                                          "reason_code": check.get("reason_code")}, case.journey_id)
        if check["fit"]:
            case.status = domain.READY
            case.updated_at = cases.now()
            return
        not_before = checked_on + settings.not_fit_postpone_days * DAY
        planning.schedule_or_block(uow, case, settings, today, "surgery_rescheduled",
                                   reason_code="not_fit_for_surgery", not_before=not_before)

    booking.retrying(uow, work)


def record_operation(uow, journey_id: str, operation: dict) -> None:
    """The surgery was performed: the implant placed, the side, any complications."""
    with uow:
        case = cases.get(uow.session, journey_id)
        domain.require("record the operation of", case.status)
        checked_on = uow.session.scalars(select(PreopCheck.checked_on).where(
            PreopCheck.journey_id == case.journey_id, PreopCheck.fit.is_(True))
            .order_by(PreopCheck.id.desc())).first()
        domain.check_operation_date(operation["performed_on"], checked_on)
        complications = sorted(set(operation.get("complications") or ()))
        uow.session.add(OperationRecord(
            journey_id=case.journey_id, surgery_id=case.surgery_id, performed_on=operation["performed_on"],
            side=operation["side"], implant_type=operation["implant_type"],
            implant_size=operation["implant_size"], implant_lot=operation["implant_lot"],
            implant_serial=operation.get("implant_serial"), complications=",".join(complications),
            complication_note=operation.get("complication_note"), actor=uow.actor, recorded_at=cases.now()))
        case.status, case.performed_on = domain.IN_WARD, operation["performed_on"]
        case.updated_at = cases.now()
        uow.emit("surgery_performed", {
            "surgery_id": case.surgery_id, "performed_on": operation["performed_on"].isoformat(),
            "side": operation["side"], "implant_type": operation["implant_type"],
            "implant_size": operation["implant_size"], "implant_lot": operation["implant_lot"],
            "implant_serial": operation.get("implant_serial"), "complications": complications},
            case.journey_id)


def record_ward_visit(uow, settings: SurgerySettings, journey_id: str, visit: dict) -> None:
    """A morning or evening visit on the ward; each slot of each day is recorded once."""
    with uow:
        case = cases.get(uow.session, journey_id)
        domain.require("record a ward visit for", case.status)
        domain.check_visit_date(visit["visit_date"], case.performed_on, settings.rules.ward_stay_max_days)
        if uow.session.scalar(select(exists().where(
                WardVisit.journey_id == case.journey_id, WardVisit.visit_date == visit["visit_date"],
                WardVisit.slot == visit["slot"]))):
            raise Conflict(f"the {visit['slot']} visit of {visit['visit_date']} is already recorded")
        uow.session.add(WardVisit(journey_id=case.journey_id, visit_date=visit["visit_date"],
                                  slot=visit["slot"], note=visit["note"], actor=uow.actor,
                                  recorded_at=cases.now()))


def record_image(uow, journey_id: str, image: dict) -> None:
    """The reference to the post-surgery image of the residual limb."""
    with uow:
        case = cases.get(uow.session, journey_id)
        domain.require("record the post-surgery image of", case.status)
        uow.session.add(PostOpImage(journey_id=case.journey_id, reference=image["reference"],
                                    taken_on=image["taken_on"], actor=uow.actor, recorded_at=cases.now()))


def discharge(uow, settings: SurgerySettings, journey_id: str, command: dict) -> None:
    """From the ward to the hotel, 3 to 5 days after the operation; rehabilitation follows."""
    with uow:
        case = cases.get(uow.session, journey_id)
        domain.require("discharge", case.status)
        has_image = uow.session.scalar(select(exists().where(PostOpImage.journey_id == case.journey_id)))
        rules = settings.rules
        domain.check_discharge(case.performed_on, command["discharged_on"], rules.ward_stay_min_days,
                               rules.ward_stay_max_days, bool(has_image))
        case.status, case.discharged_on = domain.DISCHARGED, command["discharged_on"]
        case.updated_at = cases.now()
        uow.session.execute(delete(WardBedNight).where(   # an early discharge frees its bed
            WardBedNight.journey_id == case.journey_id, WardBedNight.night >= command["discharged_on"]))
        uow.emit("ward_discharged", {
            "surgery_id": case.surgery_id, "discharged_on": command["discharged_on"].isoformat(),
            "planned_rehab_end": case.planned_rehab_end.isoformat(),
            "departure_date": case.departure_date.isoformat()}, case.journey_id)
