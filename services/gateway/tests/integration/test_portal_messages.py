"""Messages with the care team over HTTP, the gateway and notifications on the real broker, PostgreSQL and
SMTP: a patient writes to the specialist with a photo, the specialist sees it in the role's task list and
answers, the email says only that a message waits and its link opens the thread; another patient's link
reads neither the thread nor the photo; a refused file is told in a sentence; a double click posts once;
an erasure removes the thread and blanks the terms of the searches that found the person."""
import io
import uuid
from email import policy
from email.parser import BytesParser
from urllib.parse import urlsplit

import pytest
import requests
from PIL import Image
from sqlalchemy import select

from services.gateway.domain.credentials import Principal
from services.gateway.handlers import access_log, audit
from services.gateway.models import AccessLogEntry
from services.gateway.tests.portal_system import CSRF, KEY, running_portal
from services.notifications.models import Message
from shared.db import UnitOfWork
from shared.testing.infra import wait_for

SECRET = "The skin around the pin has been red and wet since Tuesday."
REPLY = "Please clean it twice a day with saline and send us a new photo on Friday."


@pytest.fixture(scope="module")
def portal():
    with running_portal() as running:
        yield running


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), color=(190, 80, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


def _form(browser, base) -> dict:
    html = browser.get(f"{base}/p/messages").text
    return {"csrf_token": CSRF.search(html).group(1), "idempotency_key": KEY.search(html).group(1)}


def _write(portal, patient, role="specialist", text=SECRET, files=None, form=None):
    data = {**(form or _form(patient, portal.base)), "addressed_role": role, "text": text}
    return patient.post(f"{portal.base}/p/messages", data=data, files=files or {}, allow_redirects=False)


def _thread(portal, journey, role="specialist") -> list[dict]:
    answer = requests.get(f"{portal.base}/api/journeys/{journey}/messages", headers=portal.staff(role))
    assert answer.status_code == 200, answer.text
    return answer.json()["messages"]


def _unread(portal, signed_in, **params) -> requests.Response:
    return requests.get(f"{portal.base}/api/messages/unread", params=params, headers=portal.staff(signed_in))


def _mail_about(portal, journey):
    """The care team's "a message is waiting" mail of this journey, read back from the SMTP sink."""
    query = select(Message.id).where(Message.journey_id == journey, Message.status == "sent",
                                     Message.template == "care_message_waiting")

    def sent():
        with portal.notifications_db.session() as session:
            return session.scalar(query)
    found = wait_for(sent)
    for path in portal.sink.folder.glob("*.eml"):
        mail = BytesParser(policy=policy.default).parse(path.open("rb"))
        if found in str(mail["Message-ID"]):
            return mail
    raise AssertionError("the sink has no copy of the mail")


def test_a_photo_for_the_specialist_is_their_task_the_answer_is_emailed_as_waiting_and_read_in_the_portal(
        portal):
    journey = str(uuid.uuid4())
    patient = portal.patient(journey)
    photo = _jpeg()
    form = _form(patient, portal.base)
    files = {"files": ("stoma.jpg", photo, "image/jpeg")}
    sent = _write(portal, patient, form=form, files=files)
    assert sent.status_code == 303 and sent.headers["Location"].startswith("/p/messages?sent=1"), sent.text
    again = _write(portal, patient, form=form, files=files)
    assert again.headers.get("Idempotent-Replayed") == "true"              # a double click posts once
    [mine] = _thread(portal, journey)
    assert (mine["text"], mine["addressed_role"], len(mine["attachments"])) == (SECRET, "specialist", 1)

    tasks = _unread(portal, "specialist").json()
    assert [t["message_id"] for t in tasks if t["journey_id"] == journey] == [mine["id"]]
    assert all(t["journey_id"] != journey for t in _unread(portal, "physiotherapist").json())
    refused = _unread(portal, "finance", role="specialist")
    assert refused.status_code == 403 and refused.json()["message"].endswith("your own role.")
    download = requests.get(
        f"{portal.base}/api/journeys/{journey}/messages/attachments/{mine['attachments'][0]['id']}",
        headers=portal.staff("specialist"))
    assert download.json()["media_type"] == "image/jpeg"

    answered = requests.post(f"{portal.base}/api/journeys/{journey}/messages", json={"text": REPLY},
                             headers={**portal.staff("specialist"), "Idempotency-Key": f"reply-{journey}"})
    assert answered.status_code == 201, answered.text
    assert all(t["journey_id"] != journey for t in _unread(portal, "specialist").json())

    mail = _mail_about(portal, journey)
    text, html = mail.get_body(("plain",)).get_content(), mail.get_body(("html",)).get_content()
    assert str(mail["Subject"]) == "A message from the care team is waiting for you"
    for body in (text, html):
        assert REPLY not in body and "saline" not in body and SECRET not in body
    link = next(line for line in text.splitlines() if "/ui/from-email?token=" in line)
    opened = requests.Session().get(f"{portal.base}{urlsplit(link).path}?{urlsplit(link).query}")
    assert opened.status_code == 200 and opened.url.endswith("/p/messages"), opened.url
    assert REPLY in opened.text and SECRET in opened.text and 'class="new"' in opened.text
    assert opened.text.index(SECRET) < opened.text.index(REPLY)             # oldest first
    assert 'class="new"' not in patient.get(f"{portal.base}/p/messages").text   # the reply is read now
    attachment_id = mine["attachments"][0]["id"]
    file = patient.get(f"{portal.base}/p/messages/attachments/{attachment_id}")
    assert file.content == photo and file.headers["Content-Type"] == "image/jpeg"
    assert file.headers["Content-Disposition"] == 'attachment; filename="photo.jpg"'
    with portal.gateway_db.session() as session:
        logged = set(session.scalars(select(AccessLogEntry.action)
                                     .where(AccessLogEntry.journey_id == journey)))
    assert {"portal_messages", "portal_send_message", "portal_message_attachment", "care_messages",
            "care_message_attachment", "unread_care_messages", "answer_patient"} <= logged


def test_another_patients_link_reads_neither_the_thread_nor_its_photo(portal):
    journey, other = str(uuid.uuid4()), str(uuid.uuid4())
    patient = portal.patient(journey)
    assert _write(portal, patient, role="physiotherapist",
                  files={"files": ("leg.jpg", _jpeg(), "image/jpeg")}).status_code == 303
    [mine] = _thread(portal, journey, "physiotherapist")
    someone_else = portal.patient(other)
    assert SECRET not in someone_else.get(f"{portal.base}/p/messages").text
    attachment = someone_else.get(f"{portal.base}/p/messages/attachments/{mine['attachments'][0]['id']}")
    assert attachment.status_code == 404
    as_patient = requests.get(f"{portal.base}/api/journeys/{journey}/messages",
                              headers={"Authorization": f"Bearer {portal.link(other)}"})
    assert as_patient.status_code == 403


def test_a_refused_file_and_a_missing_choice_are_told_beside_their_field_and_nothing_is_sent(portal):
    journey = str(uuid.uuid4())
    patient = portal.patient(journey)
    program = b"\x7fELF\x02\x01\x01\x00" + bytes(400)
    refused = _write(portal, patient, files={"files": ("letter.pdf", program, "application/pdf")})
    assert refused.status_code == 422
    assert 'id="files-error"' in refused.text and "This kind of file cannot be accepted." in refused.text
    assert SECRET in refused.text                                          # what was written is kept
    nobody = _write(portal, patient, role="")
    assert nobody.status_code == 422 and "Please choose whom you are writing to." in nobody.text
    empty = _write(portal, patient, text="   ")
    assert empty.status_code == 422 and "Please write a message or attach a file." in empty.text
    assert _thread(portal, journey) == []


def test_an_erasure_removes_the_thread_and_the_searches_that_found_the_person(portal):
    journey = str(uuid.uuid4())
    patient = portal.patient(journey)
    assert _write(portal, patient, role="travel_desk", text="Which hotel?").status_code == 303
    assert len(_thread(portal, journey)) == 1
    searcher = Principal(subject="staff:1", role="intake_coordinator")
    access_log.record_search(UnitOfWork(portal.gateway_db, "gateway", lambda: None), principal=searcher,
                             query="Kowalska", journey_ids=[journey], action="search_patients",
                             method="GET", path="/api/patients")
    portal._publish("journey", "erasure_requested", {"request_id": f"R-{journey[:8]}"}, journey)
    wait_for(lambda: _thread(portal, journey) == [])
    wait_for(lambda: _details(portal, "search_patients") == [None], message="the search's terms stay")
    with portal.gateway_db.session() as session:   # the patient's own link acted for the patient
        behalf = set(session.scalars(select(AccessLogEntry.on_behalf_of).where(
            AccessLogEntry.journey_id == journey, AccessLogEntry.credential.is_not(None))))
    assert behalf == {f"patient:{journey}"}
    assert audit.verify(portal.gateway_db.session)["intact"] is True


def _details(portal, action) -> list:
    with portal.gateway_db.session() as session:
        return list(session.scalars(select(AccessLogEntry.detail).where(AccessLogEntry.action == action)))
