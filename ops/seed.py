"""`python -m ops seed --journeys N`: N journeys with their histories, made on a running system.

Every journey is made the way staff and patients make one: the services' own RPC use cases over the
broker (enquiries' `submit_enquiry`, `complete_step`, `plan_appointment`, `change_appointment`,
`skip_step`, `decide`; notifications' `post_patient_message`), so each fact is written with its
outbox event, the relay publishes it, and the journey's projection, the board and the timelines are
built by the journey service from those events as in production. Nothing is inserted by hand.

Of every ten journeys (OUTCOMES): two have only the enquiry (screening next), two the invitation sent, two
a consultation planned (from two days ago to two weeks ahead), one the consultation held, two the screening
finished and the patient accepted (the deposit then waits), one is declined. One in 20 smokes and
one in 20 has a level not yet treated (the pre-screen puts them on hold or waitlists them, for intake to
review), one in 50 writes to the intake coordinator. Calls go
`concurrency` at a time; the seed then waits until the journey service has projected every journey.
"""
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

GIVEN = ("Anna", "Jan", "Zoë", "Łukasz", "Renée", "Joost", "Maria", "Piet", "Sofía", "Mehmet", "Fatima",
         "Lars", "Ingrid", "Tomás", "Chloé", "Oğuz", "Noah", "Eva", "Daan", "Sanne", "Bram", "Lotte", "Milan",
         "Jesús", "Ana", "Björn", "Ayşe", "Pierre", "Hélène", "Karel")
FAMILY = ("de Vries", "Jansen", "Müller", "Kowalski", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
          "García", "Yılmaz", "Nowak", "Dubois", "Lefèvre", "Ångström", "Novák", "Rossi", "Ferrari",
          "Hansen", "Johansson", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
          "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
          "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan")
SEED_ACTOR = "staff:seed"
SKIPPED_STEPS = ("psychologist_call", "specialist_introduction", "questionnaire")
OUTCOMES = ("enquiry", "invited", "planned", "held", "accepted", "accepted", "declined", "invited", "planned",
            "enquiry")   # journey n's is OUTCOMES[n % 10]


@dataclass
class Person:
    journey_id: str
    name: str
    email: str
    born: date


def form_for(n: int, rng: random.Random) -> dict:
    """A suitability enquiry of a person with a realistic name (accents included)."""
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    return {"name": f"{given} {family}", "email": f"person{n}.{rng.randrange(10**6)}@example.org",
            "phone": "+31 20 000 0000", "country": rng.choice(("NL", "DE", "PL", "FR", "NO")),
            "preferred_language": "en",
            "date_of_birth": (date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))).isoformat(),
            "amputation_level": "transtibial" if n % 20 == 10 else "transfemoral",   # waitlisted
            "amputation_side": rng.choice(("left", "right")), "years_since_amputation": rng.randrange(2, 16),
            "prosthesis_complaints": "The socket chafes", "body_weight_kg": 60 + rng.randrange(40),
            "smoking_status": "current" if n % 20 == 0 else "never", "diabetes": False,
            "circulatory_disease": False, "other_conditions": None, "privacy_consent": True,
            "health_data_consent": True, "marketing_consent": False, "passport_given_names": given,
            "passport_surname": family, "nationality": "NL"}


def later_steps(n: int, journey_id: str, rng: random.Random) -> list[tuple[str, str, tuple]]:
    """What happens to journey n after its enquiry, as (service, method, args) calls in order."""
    outcome, calls = OUTCOMES[n % 10], []
    if n % 10 == 0 and n % 20 in (0, 10):   # on hold, waitlisted: for intake's review of the pre-screen
        return calls
    if n % 50 == 7:
        calls.append(("notifications", "post_patient_message", (journey_id, {
            "text": "A question about the next step", "addressed_role": "intake_coordinator"})))
    if outcome == "enquiry":
        return calls
    if outcome == "declined":
        return calls + [("enquiries", "decide", (journey_id, {"decision": "declined",
                                                             "reasons": ["bone_quality"]}))]
    calls.append(("enquiries", "complete_step", (journey_id, "outpatient_invitation")))
    if outcome == "invited":
        return calls
    at = datetime.now(UTC) + timedelta(hours=rng.randrange(-48, 24 * 14))
    calls.append(("enquiries", "plan_appointment", (journey_id, {
        "step": "consultation", "scheduled_at": at.isoformat(), "channel": "video"})))
    if outcome == "planned":
        return calls
    calls.append(("enquiries", "change_appointment", (journey_id, "$appointment", {"status": "done"})))
    if outcome == "held":
        return calls
    calls += [("enquiries", "skip_step", (journey_id, step, {"reason": "seen at the partner clinic"}))
              for step in SKIPPED_STEPS]
    return calls + [("enquiries", "decide", (journey_id, {"decision": "accepted"}))]


def seed(amqp_uri: str, journeys: int, *, concurrency: int = 40, seed_number: int = 1, say=print,
         timeout: float = 1800) -> list[Person]:
    """Make `journeys` journeys on the system behind `amqp_uri`; wait until the board shows them all."""
    from nameko.standalone.rpc import ClusterRpcProxy
    rng, people, started = random.Random(seed_number), [], time.monotonic()
    config = {"AMQP_URI": amqp_uri}
    with ClusterRpcProxy(config, context_data={"actor": SEED_ACTOR}, timeout=120) as rpc:
        for start in range(0, journeys, concurrency):
            numbers = range(start, min(journeys, start + concurrency))
            forms = {n: form_for(n, rng) for n in numbers}
            replies = {n: rpc.enquiries.submit_enquiry.call_async("suitability", forms[n]) for n in numbers}
            plans = {}
            for n, reply in replies.items():
                journey_id = reply.result()["journey_id"]
                form = forms[n]
                people.append(Person(journey_id, form["name"], form["email"],
                                     date.fromisoformat(form["date_of_birth"])))
                plans[n] = later_steps(n, journey_id, rng)
            _run_in_step(rpc, plans)
            if (start // concurrency) % 25 == 0:
                say(f"{len(people)} journeys made ({time.monotonic() - started:.0f} s)")
        say(f"{len(people)} journeys made in {time.monotonic() - started:.0f} s; waiting for the board")
        _wait_projected(rpc, journeys, expected_stages(journeys), timeout, say)
    say(f"seeded {journeys} journeys in {time.monotonic() - started:.0f} s")
    return people


def _run_in_step(rpc, plans: dict[int, list]) -> None:
    """Each journey's calls in order; the journeys side by side (one call of each at a time)."""
    appointments: dict[int, int] = {}
    step = 0
    while True:
        replies = {}
        for n, calls in plans.items():
            if step < len(calls):
                service, method, args = calls[step]
                args = tuple(appointments.get(n) if a == "$appointment" else a for a in args)
                replies[n] = (method, getattr(getattr(rpc, service), method).call_async(*args))
        if not replies:
            return
        for n, (method, reply) in replies.items():
            answer = reply.result()
            if method == "plan_appointment":
                appointments[n] = answer["id"]
        step += 1


def expected_stages(journeys: int) -> dict[str, int]:
    """How many journeys end up declined and accepted (waiting for the deposit: stage payment)."""
    outcomes = [OUTCOMES[n % 10] for n in range(journeys) if n % 20]
    return {"declined": outcomes.count("declined"), "payment": outcomes.count("accepted")}


def _wait_projected(rpc, journeys: int, stages: dict[str, int], timeout: float, say) -> None:
    deadline = time.monotonic() + timeout
    while True:
        totals = {None: rpc.journey.board_page({"per_page": 25, "page": 1})["total"]}
        totals |= {stage: rpc.journey.board_page({"stage": stage, "per_page": 25, "page": 1})["total"]
                   for stage in stages}
        if totals[None] >= journeys and all(totals[s] >= n for s, n in stages.items()):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the board shows {totals} of {journeys} journeys, {stages}")
        say(f"the board shows {totals[None]} journeys; waiting")
        time.sleep(3)
