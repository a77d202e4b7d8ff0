"""Messages with the care team, on the real broker, PostgreSQL and SMTP: a patient's message with a photo
is its role's task until that role answers; the patient's email says only that a message waits; files
are checked by their content and read only within their journey; an erasure removes the thread."""
import base64
import io

import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy
from PIL import Image
from sqlalchemy import func, select

from services.notifications.models import CareAttachment, CareMessage
from services.notifications.tests.integration.support import contact
from shared.testing.infra import wait_for

SECRET = "The skin around the pin is red and wet since Tuesday."
REPLY = "Please clean it twice a day with saline and send us a photo on Friday."


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), color=(180, 90, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


def _b64(data: bytes) -> dict:
    return {"content_base64": base64.b64encode(data).decode("ascii")}


@pytest.fixture(scope="module")
def notifications(system):
    with ServiceRpcProxy("notifications", system.config) as proxy:
        yield proxy


def _rows(system, model, journey) -> int:
    with system.db.session() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.journey_id == journey))


def _outbox_bodies(system, journey) -> str:
    outbox = system.db.kernel.outbox
    with system.db.session() as session:
        return "\n".join(session.scalars(select(outbox.c.body).where(outbox.c.journey_id == journey)))


def test_a_message_with_a_photo_is_its_roles_task_until_answered_and_the_email_says_only_that_one_waits(
        system, notifications):
    journey, person = contact("en")
    photo = _jpeg()
    posted = notifications.post_patient_message(journey, {"addressed_role": "specialist", "text": SECRET,
                                                          "attachments": [_b64(photo)]})
    [attached] = posted["attachments"]
    assert (attached["media_type"], attached["filename"]) == ("image/jpeg", "photo.jpg")
    tasks = [t for t in notifications.unread_messages("specialist") if t["journey_id"] == journey]
    assert [(t["message_id"], t["attachments"]) for t in tasks] == [(posted["id"], 1)]
    assert all(t["journey_id"] != journey for t in notifications.unread_messages("physiotherapist"))
    kept = notifications.message_attachment(journey, attached["id"])
    assert base64.b64decode(kept["content_base64"]) == photo

    with pytest.raises(RemoteError) as other_role:
        notifications.mark_message_read(journey, posted["id"], "physiotherapist")
    assert other_role.value.exc_type == "Forbidden"
    reply = notifications.post_staff_reply(journey, {"text": REPLY}, "specialist")
    assert all(t["journey_id"] != journey for t in notifications.unread_messages("specialist"))

    wait_for(lambda: system.sink.mails_to(person["email"]))
    [mail] = system.sink.mails_to(person["email"])   # one: the patient's own message sent them none
    assert str(mail["Subject"]) == "A message from the care team is waiting for you"
    for part in ("plain", "html"):
        body = mail.get_body((part,)).get_content()
        assert "link-messages-" in body                     # a fresh personal link to the messages
        assert REPLY not in body and "saline" not in body and SECRET not in body
    bodies = _outbox_bodies(system, journey)
    assert bodies.count("care_message_posted") == 2 and "saline" not in bodies and "skin" not in bodies

    shown = notifications.patient_conversation(journey)
    assert [(m["id"], m["author"], m["text"], m["read_at"] is None) for m in shown["messages"]] == [
        (posted["id"], "patient", SECRET, False), (reply["id"], "staff", REPLY, True)]   # shown as it was
    assert notifications.conversation(journey)["messages"][1]["read_at"] is not None


def test_a_file_that_is_no_picture_or_document_is_refused_and_another_journey_cannot_read_an_attachment(
        system, notifications):
    journey, _ = contact("nl")
    program = b"\x7fELF\x02\x01\x01\x00" + bytes(300)
    with pytest.raises(RemoteError) as refused:
        notifications.post_patient_message(journey, {"addressed_role": "finance", "text": "my invoice",
                                                     "attachments": [_b64(program)]})
    assert refused.value.exc_type == "Invalid" and "only JPEG, PNG or PDF" in refused.value.value
    cut_off = _jpeg()[:-40]
    with pytest.raises(RemoteError) as incomplete:
        notifications.post_patient_message(journey, {"addressed_role": "finance", "text": "",
                                                     "attachments": [_b64(cut_off)]})
    assert "incomplete" in incomplete.value.value
    assert notifications.conversation(journey)["messages"] == []

    posted = notifications.post_patient_message(journey, {"addressed_role": "finance", "text": "",
                                                          "attachments": [_b64(_jpeg())]})
    someone_else, _ = contact("en")
    with pytest.raises(RemoteError) as not_theirs:
        notifications.message_attachment(someone_else, posted["attachments"][0]["id"])
    assert not_theirs.value.exc_type == "NotFound"
    limits = notifications.conversation(journey)["limits"]
    assert limits["max_attachments"] == 3 and "application/pdf" in limits["accepted"]


def test_an_erasure_removes_the_thread_and_its_attachments(system, notifications):
    journey, _ = contact("de")
    notifications.post_patient_message(journey, {"addressed_role": "travel_desk", "text": "My flight?",
                                                 "attachments": [_b64(_jpeg())]})
    notifications.post_staff_reply(journey, {"text": "Booked."}, "travel_desk")
    assert (_rows(system, CareMessage, journey), _rows(system, CareAttachment, journey)) == (2, 1)
    system.publish("journey", "erasure_requested", {"request_id": "R-9"}, journey)
    outbox = system.db.kernel.outbox
    wait_for(lambda: system.count(outbox, journey_id=journey, event_type="erasure_confirmed") == 1)
    assert (_rows(system, CareMessage, journey), _rows(system, CareAttachment, journey)) == (0, 0)
    assert notifications.conversation(journey)["messages"] == []
