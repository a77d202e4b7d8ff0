"""Patient-data law on the whole system (every service a process, PostgreSQL, the SMTP sink): a
withdrawn consent stops the journey's next step and its timeline says why; a patient whose retention
ended (the clinic clock moved past it) is purged from every database, dead letter, outbox row, log
line, mail and stored file, while a patient within retention is untouched."""
import uuid
from datetime import timedelta
from email import policy
from email.parser import BytesParser

from sqlalchemy import create_engine, text

from ops.journeys.api import Api
from services.followup.tests import images
from services.gateway.domain.roles import ADMIN, INTAKE, SPECIALIST
from shared.testing.infra import wait_for
from tests.e2e.test_journeys import types

JOURNEY_RETENTION_YEARS = 20   # config.yaml's JOURNEY.retention_years: the test moves the clock past it


# Per person: a date of birth, a body weight and the day they stopped smoking found nowhere else.
UNIQUE = {"A": ("1971-08-29", 93.7, "2019-03-17"), "B": ("1968-11-03", 88.3, "2018-05-21")}


def unique_person(tag: str) -> dict:
    """A form whose every personal and health value is found nowhere else in the system."""
    mark, born, weight, stopped = uuid.uuid4().hex[:6], *UNIQUE[tag]
    return {"name": f"Zorblax {tag} Quendrith{mark}", "email": f"zq{mark}.{tag.lower()}@example.invalid",
            "phone": f"+47 913 {uuid.uuid4().int % 90 + 10} 246", "date_of_birth": born,
            "prosthesis_complaints": f"Socket pinches Qwertzu{mark}",
            "other_conditions": f"Vexilloid rash {mark}",
            "body_weight_kg": weight, "smoking_status": "stopped", "smoking_stopped_on": stopped,
            "passport_given_names": f"Zorblaxia{mark}", "passport_surname": f"Quendrithova{mark}",
            "years_since_amputation": 13}


def needles(form: dict) -> list[str]:
    """The values to search for: every free value of the form (codes and booleans are checked as columns)."""
    keys = ("name", "email", "phone", "date_of_birth", "prosthesis_complaints", "other_conditions",
            "passport_given_names", "passport_surname")
    return [str(form[k]) for k in keys] + [str(form["body_weight_kg"]), form["smoking_stopped_on"]]


def database_hits(databases: dict[str, str], values: list[str]) -> dict[str, int]:
    """Every row of every table of every service's database, read as text, searched for each value."""
    found = {}
    for service, url in databases.items():
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                tables = conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
                for table in list(tables):
                    hits = conn.scalar(text(f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE ANY(:v)'),
                                       {"v": [f"%{v}%" for v in values]})
                    if hits:
                        found[f"{service}.{table}"] = hits
        finally:
            engine.dispose()
    return found


def file_hits(folder, values: list[str]) -> list[str]:
    """Files under `folder` (mails, stored images, logs) holding any of the values; a mail is read
    decoded too (its parts may be quoted-printable or base64)."""
    hits = []
    for path in (p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        if path.suffix == ".eml":
            mail = BytesParser(policy=policy.default).parsebytes(content)
            content += b"".join(part.get_content().encode() for part in mail.walk()
                                if part.get_content_maintype() == "text")
        hits += [f"{path.name}: {v}" for v in values if v.lower().encode() in content.lower()]
    return hits


def withdraw(api: Api, journey_id: str, purpose: str) -> dict:
    return api.post(f"/journeys/{journey_id}/consents/withdrawal", {"purpose": purpose})


def test_a_withdrawn_consent_stops_the_next_step_of_that_journey_and_the_timeline_says_why(driver):
    patient = driver.enquire(1, marketing_consent=True)
    driver.screen(patient)
    marketing = withdraw(driver.staff(INTAKE), patient.journey_id, "marketing")
    assert (marketing["withdrawn_via"], marketing["channel"]) == ("staff", "web_form")

    withdraw(driver.patient_api(patient), patient.journey_id, "health_data")

    refused = driver.staff(SPECIALIST).call("POST", f"/enquiries/{patient.journey_id}/decision",
                                            {"decision": "accepted"}, ok=(409,))
    assert "consent was withdrawn" in str(refused), refused
    timeline = driver.wait_stage(patient, "consent_withdrawn")
    assert timeline["waiting_for"] == [] and "patient_accepted" not in types(timeline)
    said = [e["summary"] for e in timeline["entries"] if e["type"] == "consent_withdrawn"]
    assert said == ["Consent to marketing mail withdrawn through staff, as the patient asked: "
                    "no more marketing mail",
                    "Consent to process health data withdrawn by the patient on the portal: "
                    "the journey stops here, no stage takes a next step"]
    consents = {c["purpose"]: c for c in driver.staff(INTAKE).get(f"/journeys/{patient.journey_id}/consents")}
    assert {p: (c["text_version"], c["language"], c["channel"]) for p, c in consents.items()} == {
        purpose: ("2026-01", "en", "web_form") for purpose in ("privacy", "health_data", "marketing")}
    assert consents["health_data"]["withdrawn_via"] == "patient_portal"
    assert consents["privacy"]["withdrawn_at"] is None


def test_a_patient_whose_retention_ended_is_purged_everywhere_and_one_within_it_is_untouched(running, driver):
    purged_form, kept_form = unique_person("A"), unique_person("B")
    purged = driver.whole_journey(2, **purged_form)
    driver.send_image(purged, images.xray(patient_id=purged.journey_id, PatientName=purged_form["name"]),
                      "application/dicom")
    driver.staff(INTAKE).post(f"/journeys/{purged.journey_id}/messages",
                              {"text": f"About your rash: {purged_form['other_conditions']}"})
    running.wait_quiet(timeout=60)   # the image's fact recorded today: the last treatment
    treated = driver.clock.today()
    ends = treated.replace(year=treated.year + JOURNEY_RETENTION_YEARS)   # the last day kept
    driver.clock.advance_to(driver.clock.today() + timedelta(days=30))   # the other one a month younger
    kept = driver.enquire(3, **kept_form)
    driver.screen(kept)
    driver.accept(kept)
    running.wait_quiet(timeout=60)
    files = running.log_file.parent / "files"
    assert "enquiries.enquiries" in database_hits(running.databases, needles(purged_form))   # stored at first
    assert any(files.rglob("*/*")), "the X-ray is in the file store"
    assert file_hits(running.log_file.parent / "mail", [purged_form["email"]]), "mails were sent to them"

    # Up to just before the purged patient's retention ends (check-ups missed ...), then past it.
    driver.clock.advance_to(ends - timedelta(days=3))
    running.wait_quiet(timeout=60)
    driver.clock.advance_to(ends + timedelta(days=2))
    erasure = driver.wait("the purge to be answered by every service", lambda: (
        found := driver.staff(ADMIN).get(f"/journeys/{purged.journey_id}/erasure"))
        and found[0]["status"] != "pending" and found[0], timeout=60)
    assert (erasure["status"], erasure["requested_by"], erasure["was_patient"]) == (
        "erased", "retention", True)
    running.wait_quiet(timeout=60)

    values = needles(purged_form)
    assert database_hits(running.databases, values) == {}
    assert file_hits(running.log_file.parent, values) == []   # log lines, mails in the sink, stored files
    assert not any(files.rglob("*/*")), "the X-ray is gone from the file store"
    assert running.parked() == {}
    timeline = driver.timeline(purged)
    assert timeline["stage"] == "erasure"
    assert set(types(timeline)) <= {"retention_ended", "erasure_requested", "erasure_confirmed"}

    # The patient within retention: every value still where it was.
    still = database_hits(running.databases, needles(kept_form))
    assert still.get("enquiries.enquiries") == 1, still
    detail = driver.staff(INTAKE).get(f"/enquiries/{kept.journey_id}")
    assert (detail["name"], detail["body_weight_kg"]) == (kept_form["name"], "88.3")
    assert driver.timeline(kept)["stage"] == "payment"
    wait_for(lambda: driver.staff(ADMIN).get(f"/journeys/{kept.journey_id}/erasure") == [],
             message="no erasure of the patient within retention")
