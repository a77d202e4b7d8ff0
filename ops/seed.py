"""`python -m ops seed --journeys N`: journeys with their histories, made through the services' own use cases.

Every fact is made the way staff and patients make it: enquiries' use cases (`intake.submit_enquiry` with
its pre-screen, `screening.complete_step`, `plan_appointment`, `change_appointment`, `skip_step`,
`decide`) and notifications' (`conversations.post_patient_message`), each in its own unit of work on the
service's database, so each writes its rows, its outbox events and its timers as in production. The seed
then hands each event to the journey's own handler (`projection.record_fact` in a unit of work that records
it in the journey's inbox), which builds the history, the timeline and the board's row, and marks the
event published: the seed is the journey's consumer of these events, and no other service hears of them
(no mail goes out, payments opens no invoice for the accepted). Nothing is inserted by hand, and no
broker or running service is needed: this is what makes 10,000 journeys a matter of minutes.

Of every ten journeys (OUTCOMES): two have only the enquiry (screening next), two the invitation sent, two
a consultation planned (from two days ago to two weeks ahead), one the consultation held, two the screening
finished and the patient accepted (the deposit then waits), one is declined. One in 20 smokes and one in 20
has a level not yet treated (the pre-screen puts them on hold or waitlists them, for intake to review), one
in 50 writes to the intake coordinator.
"""
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

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
    """What happens to journey n after its enquiry, as (service, use case, arguments) in order."""
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


class UseCases:
    """The use cases the seed calls, each with a fresh unit of work of its service (actor: the seed)."""

    def __init__(self, config: dict, urls: dict[str, str]):
        from services.enquiries import models as enquiries_models
        from services.enquiries.settings import parse as enquiries_settings
        from services.journey import models as journey_models
        from services.notifications import models as notifications_models
        from services.notifications.settings import parse as notifications_settings
        from shared.clock import clinic_clock
        from shared.db import Store
        self.stores = {"enquiries": Store(urls["enquiries"], enquiries_models.kernel),
                       "journey": Store(urls["journey"], journey_models.kernel),
                       "notifications": Store(urls["notifications"], notifications_models.kernel)}
        self.clock = clinic_clock(config)
        self.enquiries_settings = enquiries_settings(config)
        self.conversation_limits = notifications_settings(config).conversations
        self.journey_handlers = _journey_handlers()

    def uow(self, service: str, **kwargs):
        from shared.db import UnitOfWork
        return UnitOfWork(self.stores[service], service, lambda: None, context={"actor": SEED_ACTOR},
                          **kwargs)

    def submit_enquiry(self, form: dict) -> dict:
        from services.enquiries.handlers import intake
        from shared.contracts.api.enquiries import forms
        from shared.edge import load
        return intake.submit_enquiry(self.uow("enquiries"), self.enquiries_settings, self.clock,
                                     "suitability", load(forms.enquiry_form("suitability"), form))

    def call(self, service: str, name: str, args: tuple):
        from services.enquiries.handlers import screening
        from services.notifications.handlers import conversations
        from shared.contracts.api import notifications as notifications_api
        from shared.contracts.api.enquiries import commands
        from shared.edge import load
        uow, clock = self.uow(service), self.clock
        if name == "post_patient_message":
            return conversations.post_patient_message(uow, clock, self.conversation_limits, args[0],
                                                      load(notifications_api.PatientMessageForm, args[1]))
        if name == "complete_step":
            return screening.complete_step(uow, clock, *args)
        if name == "plan_appointment":
            return screening.plan_appointment(uow, clock, args[0], load(commands.ScreeningAppointment,
                                                                        args[1]))
        if name == "change_appointment":
            return screening.change_appointment(uow, clock, args[0], args[1],
                                                load(commands.ScreeningAppointmentChange, args[2]))
        if name == "skip_step":
            return screening.skip_step(uow, clock, args[0], args[1], load(commands.StepSkip, args[2]))
        return screening.decide(uow, clock, args[0], load(commands.ScreeningDecision, args[1]))

    def deliver(self, journey_id: str) -> int:
        """The journey's events in the services' outboxes, to the journey's handler; then marked published."""
        from services.journey.handlers import projection
        from shared.db import DuplicateEvent
        from shared.events import from_wire
        delivered = 0
        for service in ("enquiries", "notifications"):
            store = self.stores[service]
            outbox = store.kernel.outbox
            with store.session() as session:
                rows = session.execute(select(outbox.c.id, outbox.c.body).where(
                    outbox.c.published_at.is_(None), outbox.c.journey_id == journey_id)
                    .order_by(outbox.c.id)).all()
            for _, body in rows:
                event = from_wire(json.loads(body))
                method = self.journey_handlers.get((event.producer, event.type))
                if method is None:
                    continue
                try:
                    projection.record_fact(self.uow("journey", event=event, consumer=f"journey.{method}"),
                                           event, self.clock)
                    delivered += 1
                except DuplicateEvent:
                    pass
            if rows:
                with store.session() as session:
                    session.execute(update(outbox).where(outbox.c.id.in_([row.id for row in rows]))
                                    .values(published_at=datetime.now(UTC)))
        return delivered

    def dispose(self) -> None:
        for store in self.stores.values():
            store.dispose()


def _journey_handlers() -> dict[tuple[str, str], str]:
    """(producer, event type) -> the journey service's handler of it."""
    from services.journey.service import JourneyService
    found = {}
    for name in dir(JourneyService):
        for entrypoint in getattr(getattr(JourneyService, name), "nameko_entrypoints", ()):
            if hasattr(entrypoint, "event_type"):
                found[(entrypoint.source_service, entrypoint.event_type)] = name
    return found


def seed(config: dict, urls: dict[str, str], journeys: int, *, seed_number: int = 1, workers: int = 8,
         say=print) -> list[Person]:
    """Make `journeys` journeys in the databases at `urls` (enquiries, journey, notifications), `workers`
    journeys at a time (one on SQLite). The seed's own connections commit without waiting for the WAL
    flush (synchronous_commit off): a crash mid-seed loses its last journeys, nothing else."""
    started, done = time.monotonic(), []
    postgres = all(url.startswith("postgresql") for url in urls.values())
    if postgres:
        urls = {name: url + ("&" if "?" in url else "?") + "options=-csynchronous_commit%3Doff"
                for name, url in urls.items()}
    cases = UseCases(config, urls)

    def one(n: int) -> Person:
        rng = random.Random(f"{seed_number}:{n}")
        form = form_for(n, rng)
        journey_id = cases.submit_enquiry(form)["journey_id"]
        appointment = None
        for service, name, args in later_steps(n, journey_id, rng):
            args = tuple(appointment if a == "$appointment" else a for a in args)
            answer = cases.call(service, name, args)
            if name == "plan_appointment":
                appointment = answer.id
        cases.deliver(journey_id)
        done.append(n)
        if len(done) % 1000 == 0:
            say(f"{len(done)} journeys made ({time.monotonic() - started:.0f} s)")
        return Person(journey_id, form["name"], form["email"], date.fromisoformat(form["date_of_birth"]))

    try:
        with ThreadPoolExecutor(max_workers=workers if postgres else 1) as pool:
            people = list(pool.map(one, range(journeys)))
    finally:
        cases.dispose()
    say(f"seeded {journeys} journeys in {time.monotonic() - started:.0f} s")
    return people
