"""One Dutch patient walks the whole journey in the portal, in Debian's headless Chromium at phone size,
with nothing but the portal and the emails the notifications service sent: every service its own
process, the sandbox providers, the SMTP sink. Staff act over the API (the journey driver), and the
simulated clinic clock passes the weeks. Each page visited is kept as a screenshot in
var/screenshots/portal-walk/ (nl-NN-<page>.png)."""
import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import requests

from ops.journeys import JourneyDriver, Patient
from services.followup.tests import images
from services.gateway.tests.browser import CHROMIUM
from shared.config import ROOT
from shared.i18n import formats, translations
from tests.e2e.mailbox import Mailbox, html_of, personal_link, text_of
from tests.e2e.walk_browser import Browser

# Skipped on a developer's machine without Debian's chromium; under CI a missing browser fails.
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install -y chromium)")
SCREENSHOTS = ROOT / "var" / "screenshots" / "portal-walk"
LANGUAGE = "nl"
mail_words, page_words = translations(LANGUAGE).gettext, translations(LANGUAGE, "portal").gettext
MENU = 'nav.menu a[href="{}"]'
SEND = 'form[action="{}"] button[type="submit"]'
QUESTION = "Mag ik deze zomer weer zwemmen?"
REPLY = "Ja, zwemmen mag weer zodra de huid rond de pin rustig is. Groet, uw coördinator"
STAFF_ROLES = ("Intake coordinator", "Psychologist", "Specialist", "Finance", "Planner", "Travel desk",
               "Physiotherapist")


@dataclass
class Walk:
    driver: JourneyDriver
    browser: Browser
    mailbox: Mailbox
    patient: Patient
    base: str

    def page(self, state: dict, title: str) -> dict:
        """A portal page that reads in Dutch (lang="nl"), headed by this (English) title's translation."""
        assert state["lang"] == LANGUAGE, (state["url"], state["lang"])
        assert state["h1"] == page_words(title) != title, (state["url"], state["h1"])
        assert state["overflow"] <= 0, f"{state['url']} scrolls sideways by {state['overflow']} px"
        assert state["status"] in (None, 200), (state["url"], state["status"])
        return state

    def menu(self, path: str, name: str, title: str) -> dict:
        return self.page(self.browser.click(MENU.format(path), name), title)

    def mail(self, subject: str):
        """The clinic's newest mail with this (English) subject's translation, in Dutch."""
        found = self.mailbox.wait(mail_words(subject))
        assert found["Content-Language"] == LANGUAGE, subject
        return found


@pytest.fixture(scope="module")
def browser():
    opened = Browser(SCREENSHOTS, LANGUAGE, ROOT)
    yield opened
    opened.close()


def test_a_dutch_patient_goes_through_the_whole_journey_in_the_portal_with_only_the_clinics_emails(
        driver, running, browser, tmp_path):
    started = time.monotonic()
    patient = driver.enquire(31, preferred_language=LANGUAGE)
    mailbox = Mailbox(running.clock_file.parent / "mail", driver.enquiry(patient)["email"])
    walk = Walk(driver, browser, mailbox, patient, running.system.gateway_url)

    fills_in_the_questionnaire_on_two_devices(walk)
    pays_the_deposit_at_the_providers_checkout(walk)
    sees_the_flights_and_the_hotel_on_my_stay(walk)
    for step in (driver.preop_check, driver.operate, driver.ward_stay, driver.discharge, driver.rehabilitate,
                 driver.fit_prosthesis, driver.complete_rehabilitation, driver.wait_followup_plan):
        step(patient)   # weeks on the clinic's simulated clock, by staff; then the patient is home
    driver.wait_stage(patient, "follow_up")
    sends_an_x_ray_and_sees_it_reviewed(walk, tmp_path)
    reports_a_problem(walk)
    writes_to_the_coordinator_and_reads_the_reply(walk)
    sees_who_looked_at_the_file(walk)

    shots = browser.shots()
    assert len(shots) == 24 and all((SCREENSHOTS / shot).stat().st_size > 5000 for shot in shots)
    assert {mail["Content-Language"] for mail in mailbox.messages()} == {LANGUAGE}
    print(f"the walk took {time.monotonic() - started:.0f}s; {len(shots)} pages kept in {SCREENSHOTS}")


def fills_in_the_questionnaire_on_two_devices(walk: Walk) -> None:
    walk.driver.screening_steps(walk.patient)   # staff's part; then the questionnaire's email goes out
    link = personal_link(walk.mail("Please fill in your questionnaire"))
    assert link.startswith(f"{walk.base}/ui/from-email?token=")
    # Part 1 on one device, saved on the server there ...
    overview = walk.page(walk.browser.open(link, "vragenlijst"), "Your questionnaire")
    assert overview["url"] == f"{walk.base}/p/questionnaire"   # the link's token left the address bar
    assert done_parts(overview) == [False] * 4
    assert part_of(1) in walk.browser.click("#resume", "vragenlijst-deel-1")["text"]
    assert walk.browser.answer_part() > 0
    saved = walk.browser.click('button[value="stay"]', "vragenlijst-deel-1-bewaard")
    assert saved["lang"] == LANGUAGE and page_words("Your answers are saved.") in saved["text"]
    # ... the rest on another (a new browser context: no cookies), from the same email.
    resumed = walk.page(walk.browser.open(link, "ander-apparaat-vragenlijst"), "Your questionnaire")
    assert done_parts(resumed) == [True, False, False, False]
    assert part_of(2) in walk.browser.click("#resume", "vragenlijst-deel-2")["text"]
    for following in (3, 4, None):   # each part saved as the patient goes on; the last back to the overview
        assert walk.browser.answer_part() > 0
        shown = walk.browser.click('button[value="next"]', f"vragenlijst-deel-{following or 'alles-bewaard'}")
        assert shown["lang"] == LANGUAGE and (following is None or part_of(following) in shown["text"])
    assert shown["url"].endswith("/p/questionnaire?saved=1") and done_parts(shown) == [True] * 4
    sent = walk.page(walk.browser.click(SEND.format("/p/questionnaire/submit"), "vragenlijst-verzonden"),
                     "Your questionnaire")
    assert page_words("Thank you: your questionnaire has been sent") in sent["text"]
    assert walk.driver.enquiry(walk.patient)["questionnaire"]["status"] == "submitted"


def part_of(number: int) -> str:
    return page_words("Part %(num)s of %(total)s") % {"num": number, "total": 4}


def done_parts(overview: dict) -> list[bool]:
    """Each part the questionnaire's overview lists ("<part> — complete"): complete or not."""
    return [line.endswith(f" — {page_words('complete')}") for line in overview["text"].splitlines()
            if " — " in line]


def pays_the_deposit_at_the_providers_checkout(walk: Walk) -> None:
    walk.driver.accept(walk.patient)
    walk.page(walk.browser.goto(personal_link(walk.mail("Your invoice and the deposit")), "factuur-link"),
              "My journey")
    cents = walk.driver.invoice(walk.patient)["invoice"]["deposit_cents"]
    deposit = formats.money(cents, "EUR", LANGUAGE)
    to_pay = walk.menu("/p/pay", "betalingen", "Payments")
    assert page_words("Pay %(amount)s") % {"amount": deposit} in to_pay["text"]
    # The provider's webhooks follow a few seconds after the payer is back: the page must wait for them.
    switches = f"{walk.driver.payment_url}/sandbox/switches"
    assert requests.post(switches, json={"delay_seconds": 4}, timeout=10).status_code == 200
    try:
        checkout = walk.browser.click('form[action="/p/pay"] button', "betaalpagina-van-de-provider")
        assert checkout["url"].startswith(f"{walk.driver.payment_url}/c/pay/cs_"), checkout["url"]
        assert f"EUR {cents / 100:,.2f}" in checkout["text"]
        walk.browser.click('form[action^="/c/pay/"][action$="/pay"] button', None)   # back at /p/pay/back
        waiting = walk.page(walk.browser.wait_for('#payment-state[data-state="waiting"]', "betaling-wacht"),
                            "Waiting for confirmation")
        assert "/p/pay/status?session_id=cs_" in waiting["url"]
        assert walk.driver.invoice(walk.patient)["invoice"]["deposit_paid_at"] is None   # no webhook yet
        received = walk.page(walk.browser.wait_for('#payment-state[data-state="received"]',
                                                   "betaling-ontvangen", timeout=45), "Payment received")
    finally:
        requests.post(switches, json={"delay_seconds": 0}, timeout=10)
    said = page_words("We have received your deposit of %(amount)s. Thank you.") % {"amount": deposit}
    assert said in received["text"]
    assert walk.driver.invoice(walk.patient)["invoice"]["deposit_paid_at"]   # applied before it said so
    walk.mail("We have received your deposit")


def sees_the_flights_and_the_hotel_on_my_stay(walk: Walk) -> None:
    walk.driver.wait_surgery_scheduled(walk.patient)
    itinerary = walk.driver.wait_itinerary_confirmed(walk.patient)
    walk.mail("Your flights and hotel are booked")
    stay = walk.menu("/p/stay", "mijn-verblijf", "My stay")
    codes = [b["confirmation_code"] for b in itinerary["bookings"] if b["current"]]
    assert len(codes) == 4 and all(code in stay["text"] for code in codes), (codes, stay["text"])
    assert formats.day(date.fromisoformat(itinerary["departure_date"]), LANGUAGE) in stay["text"]


def sends_an_x_ray_and_sees_it_reviewed(walk: Walk, folder: Path) -> None:
    xray = folder / "bovenbeen.dcm"
    xray.write_bytes(images.xray(patient_id=walk.patient.journey_id))
    walk.menu("/p/uploads", "rontgenfotos", "Send X-rays and photos")
    walk.browser.check('input[name="kind"][value="xray"]')
    walk.browser.attach("#file", xray)
    walk.browser.fill("#made_where", "Ziekenhuis Odense")
    uploaded = walk.page(walk.browser.click(SEND.format("/p/uploads"), "rontgenfoto-verstuurd"),
                         "Send X-rays and photos")
    thanks = page_words("Thank you: your file was received. The specialist will look at it.")
    assert thanks in uploaded["text"]
    assert page_words("Not yet") in uploaded["text"]
    image = walk.driver.wait_image(walk.patient)
    assert (image["media_type"], image["body_part"]) == ("application/dicom", "residual_limb")
    walk.driver.assess(walk.patient, "image", image["id"], "fine")
    walk.mail("The specialist has looked at your images")
    reviewed = walk.page(walk.browser.goto(f"{walk.base}/p/uploads", "rontgenfoto-beoordeeld"),
                         "Send X-rays and photos")
    assert page_words("Yes, reviewed") in reviewed["text"] and page_words("Not yet") not in reviewed["text"]


def reports_a_problem(walk: Walk) -> None:
    walk.menu("/p/problems", "probleem-melden", "Report a problem")
    walk.browser.check('input[name="problem"][value="stoma_irritation"]')
    walk.browser.fill("#pain_score", "3")
    walk.browser.fill("#note", "De huid rond de pin is sinds gisteren rood.")
    reported = walk.page(walk.browser.click(SEND.format("/p/problems"), "probleem-gemeld"),
                         "Your report was sent to the specialist")
    (report,) = walk.driver.problem_reports(walk.patient)   # the specialist reads it
    assert (report["problem"], report["pain_score"], report["urgent"]) == ("stoma_irritation", 3, False)
    act_by = formats.day(date.fromisoformat(report["escalation"]["act_by"]), LANGUAGE)
    assert page_words("The clinic will contact you by %(day)s.") % {"day": act_by} in reported["text"]


def writes_to_the_coordinator_and_reads_the_reply(walk: Walk) -> None:
    walk.menu("/p/messages", "berichten", "Messages with the care team")
    walk.browser.select("#addressed_role", "intake_coordinator")
    walk.browser.fill("#text", QUESTION)
    posted = walk.page(walk.browser.click(SEND.format("/p/messages"), "bericht-verstuurd"),
                       "Messages with the care team")
    thanks = page_words("Thank you: your message was sent. The care team will answer you here.")
    assert thanks in posted["text"]
    walk.driver.wait_patient_message(walk.patient)
    walk.driver.reply_to_patient(walk.patient, REPLY)
    waiting = walk.mail("A message from the care team is waiting for you")
    assert REPLY not in text_of(waiting) and REPLY not in html_of(waiting)   # only that one waits
    link = personal_link(waiting)
    assert link.endswith("&to=messages")
    # Opened from the mail app, say: another browser context, straight onto Messages.
    thread = walk.page(walk.browser.open(link, "bericht-van-de-coordinator"), "Messages with the care team")
    assert thread["url"] == f"{walk.base}/p/messages"
    assert QUESTION in thread["text"] and REPLY in thread["text"]
    assert page_words("From your coordinator") in thread["text"]
    assert [m["read_at"] is not None for m in walk.driver.thread(walk.patient)] == [True, True]


def sees_who_looked_at_the_file(walk: Walk) -> None:
    looked = walk.menu("/p/access-log", "wie-keek-in-mijn-dossier", "Who looked at my file")
    clinic, own = looked["text"].split(page_words("Your own visits"))
    for role in STAFF_ROLES:
        assert page_words(role) in clinic, role
    assert page_words("allowed") in clinic and page_words("You (your personal link)") not in clinic
    assert page_words("Show your %(visits)s visits").split("%")[0] in own
