"""Events produced by the surgery service. Reasons travel as codes, never free text."""
from marshmallow import Schema, fields

from shared.events import contract


class SurgeryPlan(Schema):
    surgery_id = fields.String(required=True)
    arrival_by = fields.Date(required=True)
    preop_check_date = fields.Date(required=True)
    surgery_date = fields.Date(required=True)
    planned_ward_discharge = fields.Date(required=True)
    planned_rehab_end = fields.Date(required=True)
    departure_date = fields.Date(required=True)


@contract("surgery_scheduled", 1)
class SurgeryScheduled(SurgeryPlan):
    pass


@contract("surgery_rescheduled", 1)
class SurgeryRescheduled(SurgeryPlan):
    reason_code = fields.String(required=True)
    # The patient has already arrived (postponed at the pre-op check): travel keeps the outbound
    # flight, extends the hotel to the new dates and moves only the return flight. `arrival_by`
    # then stays the day the patient arrived.
    patient_in_country = fields.Boolean(load_default=False)


@contract("surgery_cancelled", 1)
class SurgeryCancelled(Schema):
    surgery_id = fields.String(allow_none=True, load_default=None)
    reason_code = fields.String(required=True)
    surgery_date = fields.Date(allow_none=True, load_default=None)


@contract("preop_check_recorded", 1)
class PreopCheckRecorded(Schema):
    surgery_id = fields.String(required=True)
    fit = fields.Boolean(required=True)
    reason_code = fields.String(allow_none=True, load_default=None)   # why not fit


class ImplantPlaced(Schema):
    """One side operated and the implant placed there (device traceability by lot and serial)."""
    side = fields.String(required=True)
    implant_type = fields.String(required=True)
    implant_size = fields.String(required=True)
    implant_lot = fields.String(required=True)
    implant_serial = fields.String(allow_none=True, load_default=None)
    complications = fields.List(fields.String(), load_default=list)   # codes; empty = none


@contract("surgery_performed", 1)
class SurgeryPerformed(Schema):
    """The operation. `implants` lists every side operated (two for a bilateral patient); the
    single-side fields repeat the first of them, as consumers of one side have always read them
    (an older message has no `implants`: its one side is those fields)."""
    surgery_id = fields.String(required=True)
    performed_on = fields.Date(required=True)
    side = fields.String(required=True)
    implant_type = fields.String(required=True)
    implant_size = fields.String(required=True)
    implant_lot = fields.String(required=True)
    implant_serial = fields.String(allow_none=True, load_default=None)
    complications = fields.List(fields.String(), load_default=list)   # codes, of every side; empty = none
    implants = fields.List(fields.Nested(ImplantPlaced), load_default=list)


@contract("ward_discharged", 1)
class WardDischarged(Schema):
    surgery_id = fields.String(required=True)
    discharged_on = fields.Date(required=True)
    planned_rehab_end = fields.Date(required=True)
    departure_date = fields.Date(required=True)


@contract("surgery_scheduling_blocked", 1)
class SurgerySchedulingBlocked(Schema):
    """No date within the horizon satisfies every constraint; a planner must act.

    `blocked_by` lists the constraint codes that ruled days out, most frequent first.
    """
    blocked_by = fields.List(fields.String(), required=True)
    searched_until = fields.Date(required=True)
