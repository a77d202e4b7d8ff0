"""The journey's second half: the clinical stay, rehabilitation from the hotel and the
follow-up plan. Mixed into JourneyDriver; each step moves the clinic clock to its day."""
from datetime import date
from decimal import Decimal

from ops.journeys.api import StepFailed
from ops.journeys.sample import DAY, Patient
from services.gateway.domain.roles import PHYSIOTHERAPIST, SPECIALIST


class Stay:
    """Steps from the pre-op check to the follow-up plan (needs JourneyDriver's plumbing)."""

    def _clinical(self, p: Patient, action: str, body: dict) -> dict:
        return self.staff(SPECIALIST).post(f"/journeys/{p.journey_id}/surgery/{action}", body)

    def preop_check(self, p: Patient, fit: bool = True, reason_code: str | None = None) -> dict:
        day = p.day("preop_check_date")
        self.clock.advance_to(day)
        case = self._clinical(p, "preop-check", {"fit": fit, "reason_code": reason_code,
                                                 "checked_on": day.isoformat()})
        self.say(p, f"{day}: pre-op check at the hospital, {'fit' if fit else 'not fit'} for surgery")
        return case

    def operate(self, p: Patient) -> dict:
        day = p.day("surgery_date")
        self.clock.advance_to(day)
        case = self._clinical(p, "operation", {"performed_on": day.isoformat(), "sides": [{
            "side": "left", "implant_type": "sample implant", "implant_size": "16 mm",
            "implant_lot": f"LOT-SAMPLE-{p.number}", "implant_serial": f"SN-{p.number:05d}"}]})
        self.say(p, f"{day}: surgery performed, implant recorded (lot LOT-SAMPLE-{p.number})")
        return case

    def ward_stay(self, p: Patient) -> None:
        """Visits twice a day on the ward and the post-surgery image of the residual limb."""
        surgery, leave = p.day("surgery_date"), p.day("planned_ward_discharge")
        self._clinical(p, "images", {"reference": f"PACS:SAMPLE-{p.number}", "taken_on": surgery.isoformat()})
        day = surgery
        while day < leave:
            for slot in ("morning", "evening"):
                self._clinical(p, "ward-visits", {"visit_date": day.isoformat(), "slot": slot,
                                                  "note": "sample note: stoma calm"})
            day += DAY
        self.say(p, f"ward: {2 * (leave - surgery).days} visits and the post-surgery image recorded")

    def discharge(self, p: Patient) -> dict:
        day = p.day("planned_ward_discharge")
        self.clock.advance_to(day)
        case = self._clinical(p, "ward-discharge", {"discharged_on": day.isoformat()})
        self.say(p, f"{day}: discharged from the ward to the hotel")
        return case

    # -- rehabilitation -------------------------------------------------------------------------
    def _rehab(self, p: Patient, action: str, body: dict) -> dict:
        return self.staff(PHYSIOTHERAPIST).post(f"/journeys/{p.journey_id}/rehabilitation/{action}", body)

    def wait_rehab_plan(self, p: Patient) -> dict:
        plan = self.wait("the rehabilitation plan to start",
                         lambda: (found := self.rehab_plan(p)) and found["status"] == "active" and found)
        self.say(p, f"rehabilitation plan: from {plan['start_date']} to {plan['planned_end']}, "
                    f"target load {plan['target_load_kg']} kg")
        return plan

    def rehabilitate(self, p: Patient) -> dict:
        """Supervised sessions on the plan's days, one load step each, to the target load."""
        plan = self.wait_rehab_plan(p)
        days = sorted(date.fromisoformat(d) for d in plan["planned_sessions"])
        day = date.fromisoformat(plan["start_date"]) - DAY
        for _ in range(60):
            if plan["phase"] != "load_build_up":
                return plan
            day = next((d for d in days if d > day), day + DAY)
            target = Decimal(plan["target_load_kg"])
            load = min(Decimal(plan["next_step_kg"] or target), target)
            self.clock.advance_to(day)
            plan = self._rehab(p, "sessions", {
                "session_date": day.isoformat(), "duration_minutes": 120, "load_kg": str(load),
                "pain_score": 2,
                "notes_ref": f"EPD-SAMPLE-{p.number}", "exercises": ["muscle_strengthening", "load_on_pin"]})
            self.say(p, f"{day}: physiotherapy session, {load} kg on the pin ({plan['progress_percent']}%)")
        raise StepFailed(f"the target load was not reached after 60 sessions: {plan}")

    def fit_prosthesis(self, p: Patient) -> dict:
        day = date.fromisoformat(self.rehab_plan(p)["target_reached_on"]) + DAY
        self.clock.advance_to(day)
        plan = self._rehab(p, "prosthesis-fitting", {"fitted_on": day.isoformat()})
        self.say(p, f"{day}: prosthesis fitted; gait training starts")
        return plan

    def complete_rehabilitation(self, p: Patient) -> dict:
        plan = self.rehab_plan(p)
        day = max(date.fromisoformat(plan["planned_end"]), date.fromisoformat(plan["prosthesis_fitted_on"]))
        self.clock.advance_to(day)
        plan = self._rehab(p, "completion", {"completed_on": day.isoformat()})
        self.say(p, f"{day}: rehabilitation complete; the patient flies home")
        return plan

    def wait_followup_plan(self, p: Patient) -> dict:
        schedule = self.wait("the follow-up plan",
                             lambda: (found := self.followup_schedule(p)) and found.get("checkups") and found)
        first = schedule["checkups"][0]
        self.say(p, f"tele-follow-up planned: {len(schedule['checkups'])} check-ups, the first due "
                    f"{first.get('due_on') or first}")
        return schedule
