"""Travel rules: what to book for a surgery plan, and when a booking breaks that plan.

Plain Python: no I/O, no clock. Dates come in, decisions (with the rule that
fired) go out.
"""
from dataclasses import dataclass, replace
from datetime import date, timedelta

OUTBOUND, HOTEL_PREOP, HOTEL_STAY, RETURN = "outbound", "hotel_preop", "hotel_stay", "return"
PARTS = (OUTBOUND, HOTEL_PREOP, HOTEL_STAY, RETURN)
FLIGHT, HOTEL = "flight", "hotel"
KIND_OF = {OUTBOUND: FLIGHT, RETURN: FLIGHT, HOTEL_PREOP: HOTEL, HOTEL_STAY: HOTEL}

ARRIVAL_AFTER_PREOP_CHECK = "arrival_after_preop_check"
RETURN_BEFORE_REHAB_END = "return_before_rehab_end"
CANCELLED_BY_AGENCY = "booking_cancelled_by_agency"
HOTEL_NIGHTS_UNCOVERED = "hotel_nights_uncovered"
PASSENGER_DETAILS_MISSING = "passenger_details_missing"


@dataclass(frozen=True)
class Plan:
    """The surgery plan travel must fit (from surgery_scheduled / surgery_rescheduled)."""
    arrival_by: date
    preop_check_date: date
    surgery_date: date
    planned_ward_discharge: date
    planned_rehab_end: date
    departure_date: date


@dataclass(frozen=True)
class Part:
    """One thing to book. Flights: start = departs on, end = arrives on; hotels: check-in/out."""
    name: str
    start: date
    end: date
    origin: str | None = None
    destination: str | None = None

    @property
    def kind(self) -> str:
        return KIND_OF[self.name]


def parts_for(plan: Plan, home_airport: str | None, clinic_airport: str) -> list[Part]:
    """Outbound by arrival-by, a hotel for every night outside the ward, return on departure.

    Without a known home airport the flights wait (the desk sets the airport);
    the hotels are booked anyway. A hotel stay of zero nights is left out.
    """
    parts = []
    if home_airport:
        parts.append(Part(OUTBOUND, plan.arrival_by, plan.arrival_by, home_airport, clinic_airport))
    if plan.arrival_by < plan.surgery_date:  # admitted on the surgery day (assumption)
        parts.append(Part(HOTEL_PREOP, plan.arrival_by, plan.surgery_date))
    if plan.planned_ward_discharge < plan.departure_date:
        parts.append(Part(HOTEL_STAY, plan.planned_ward_discharge, plan.departure_date))
    if home_airport:
        parts.append(Part(RETURN, plan.departure_date, plan.departure_date, clinic_airport, home_airport))
    return parts


def replan_parts(plan: Plan, home: str | None, clinic_airport: str, current: dict[str, Part],
                 today: date, in_country: bool = False) -> list[Part]:
    """The parts for a moved plan, keeping what has already happened.

    A flight that departed before today is never changed nor cancelled. A patient
    who has arrived (`in_country`, or the outbound flight flown) keeps the outbound
    flight, and the pre-op hotel runs from the night they arrived to the new surgery
    date; a hotel night already slept is not moved.
    """
    wanted = {part.name: part for part in parts_for(plan, home, clinic_airport)}
    for name, held in current.items():
        if held.kind == FLIGHT and held.start < today:
            wanted[name] = held
    outbound, preop = current.get(OUTBOUND), current.get(HOTEL_PREOP)
    if in_country or (outbound is not None and outbound.start < today):
        if outbound is not None:
            wanted[OUTBOUND] = outbound
        arrived = preop.start if preop else (outbound.end if outbound else plan.arrival_by)
        if arrived < plan.surgery_date:
            wanted[HOTEL_PREOP] = Part(HOTEL_PREOP, arrived, plan.surgery_date)
    for name, part in list(wanted.items()):
        held = current.get(name)
        if part.kind == HOTEL and held is not None and held.start < today and held.start < part.end:
            wanted[name] = replace(part, start=held.start)
    return [wanted[name] for name in PARTS if name in wanted]


def uncovered_nights(plan: Plan, hotels: list[tuple[date, date]]) -> list[date]:
    """The nights of the stay (arrival to departure, outside the ward) that no hotel stay covers.

    `hotels` are the (check-in, check-out) of the hotel bookings that hold.
    """
    nights, night = [], plan.arrival_by
    while night < plan.departure_date:
        in_ward = plan.surgery_date <= night < plan.planned_ward_discharge
        if not in_ward and not any(check_in <= night < check_out for check_in, check_out in hotels):
            nights.append(night)
        night += timedelta(days=1)
    return nights


def fulfils(wanted: Part, start: date | None, end: date | None) -> bool:
    """Does what the agency booked give us what we asked for?

    A flight is judged by its departure day (an overnight arrival is fine);
    a hotel by both nights.
    """
    if wanted.kind == FLIGHT:
        return start == wanted.start
    return (start, end) == (wanted.start, wanted.end)


@dataclass(frozen=True)
class Changes:
    add: list[Part]
    change: list[Part]
    remove: list[str]


def diff(current: dict[str, Part], wanted: list[Part]) -> Changes:
    """What to book, change and cancel to go from the current parts to the wanted ones."""
    names = {part.name for part in wanted}
    return Changes(
        add=[p for p in wanted if p.name not in current],
        change=[p for p in wanted if p.name in current and current[p.name] != p],
        remove=sorted(name for name in current if name not in names))


def schedule_conflict(part: str, start: date, end: date, plan: Plan) -> str | None:
    """The rule an airline's new schedule breaks, or None when it still fits the plan."""
    if part == OUTBOUND and end >= plan.preop_check_date:
        return ARRIVAL_AFTER_PREOP_CHECK
    if part == RETURN and start < plan.planned_rehab_end:
        return RETURN_BEFORE_REHAB_END
    return None


def departure_problems(plan: Plan, departure_date: date) -> dict[str, str]:
    """Why a new departure date cannot be used (empty: it can)."""
    if departure_date <= plan.planned_ward_discharge:
        return {"departure_date": "must be after the planned discharge from the ward"}
    if departure_date < plan.planned_rehab_end:
        return {"departure_date": "must not be before rehabilitation ends"}
    return {}


def home_airport(country: str | None, override: str | None, by_country: dict[str, str]) -> str | None:
    """The airport the patient flies from: the desk's choice, else the country's default."""
    if override:
        return override.upper()
    if country:
        return by_country.get(country.upper())
    return None
