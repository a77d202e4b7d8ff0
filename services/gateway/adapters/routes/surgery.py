"""Surgery: the operating calendar, scheduling actions and the clinical stay up to the hotel.

Bodies are checked here with the surgery API contract; the surgery service checks them again,
and its rules.
"""
from marshmallow import Schema

from services.gateway.adapters.routing import route
from services.gateway.domain.roles import PLANNER, SPECIALIST
from shared.contracts.api.surgery import (
    CancelSurgery,
    OperatingCalendarQuery,
    OperatingDay,
    PostSurgeryImage,
    PreopCheckResult,
    RescheduleSurgery,
    ScheduleSurgery,
    SurgeryOperation,
    WardDischarge,
    WardVisitNote,
)
from shared.i18n import N_

TAG = "surgery"
PLANNING = {PLANNER, SPECIALIST}
CLINICAL = {SPECIALIST}


def _send(ctx, method: str, journey_id, schema: type[Schema]):
    """Call the surgery service with the validated body as JSON primitives."""
    return getattr(ctx.rpc("surgery"), method)(str(journey_id), schema().dump(ctx.body))


@route("GET", "/journeys/<uuid:journey_id>/surgery", roles=PLANNING, tag=TAG,
       summary="Read a patient's surgery: status, plan and clinical record",
       action=N_("read a patient's surgery"))
def get_surgery(ctx, journey_id):
    return ctx.rpc("surgery").get_case(str(journey_id))


@route("GET", "/surgery/calendar", roles=PLANNING, tag=TAG, query=OperatingCalendarQuery,
       response=OperatingDay, many=True, summary="Show booked, free and closed operating days",
       action=N_("see the operating calendar"))
def operating_calendar(ctx):
    days = ctx.rpc("surgery").get_calendar(OperatingCalendarQuery().dump(ctx.query))
    for journey in {journey for day in days for journey in day["journeys"]}:
        ctx.log_access(journey)
    return days


@route("POST", "/journeys/<uuid:journey_id>/surgery/schedule", roles=PLANNING, tag=TAG, body=ScheduleSurgery,
       summary="Schedule a surgery no date could be found for",
       action=N_("schedule a surgery"))
def schedule_surgery(ctx, journey_id):
    return _send(ctx, "schedule", journey_id, ScheduleSurgery)


@route("POST", "/journeys/<uuid:journey_id>/surgery/reschedule", roles=PLANNING, tag=TAG,
       body=RescheduleSurgery,
       summary="Reschedule a surgery, with a reason",
       action=N_("reschedule a surgery"))
def reschedule_surgery(ctx, journey_id):
    return _send(ctx, "reschedule", journey_id, RescheduleSurgery)


@route("POST", "/journeys/<uuid:journey_id>/surgery/cancel", roles=PLANNING, tag=TAG, body=CancelSurgery,
       summary="Cancel a surgery, with a reason",
       action=N_("cancel a surgery"))
def cancel_surgery(ctx, journey_id):
    return _send(ctx, "cancel", journey_id, CancelSurgery)


@route("POST", "/journeys/<uuid:journey_id>/surgery/preop-check", roles=CLINICAL, tag=TAG,
       body=PreopCheckResult,
       summary="Record the pre-op check (not fit: the surgery is postponed and rescheduled; "
               "an unpaid balance warns or, by the clinic's policy, refuses fit)",
       action=N_("record a pre-op check"))
def record_preop_check(ctx, journey_id):
    return _send(ctx, "record_preop_check", journey_id, PreopCheckResult)


@route("POST", "/journeys/<uuid:journey_id>/surgery/operation", roles=CLINICAL, tag=TAG,
       body=SurgeryOperation,
       summary="Record the operation performed: one entry per side operated, with its implant",
       action=N_("record an operation"))
def record_surgery_operation(ctx, journey_id):
    return _send(ctx, "record_operation", journey_id, SurgeryOperation)


@route("POST", "/journeys/<uuid:journey_id>/surgery/ward-visits", roles=CLINICAL, tag=TAG, body=WardVisitNote,
       status=201, summary="Record a morning or evening ward visit",
       action=N_("record a ward visit"))
def record_ward_visit(ctx, journey_id):
    return _send(ctx, "record_ward_visit", journey_id, WardVisitNote)


@route("POST", "/journeys/<uuid:journey_id>/surgery/images", roles=CLINICAL, tag=TAG, body=PostSurgeryImage,
       status=201, summary="Record the post-surgery image of the residual limb",
       action=N_("record a post-surgery image"))
def record_postop_image(ctx, journey_id):
    return _send(ctx, "record_image", journey_id, PostSurgeryImage)


@route("POST", "/journeys/<uuid:journey_id>/surgery/ward-discharge", roles=CLINICAL, tag=TAG,
       body=WardDischarge, summary="Discharge the patient from the ward to the hotel",
       action=N_("discharge a patient from the ward"))
def discharge_from_ward(ctx, journey_id):
    return _send(ctx, "discharge", journey_id, WardDischarge)
