"""Messages with the care team: whom a patient may write to, what a message may carry, who reads it,
and that a reply tells the patient only that a message waits."""
import pytest

from services.notifications.domain import conversations as rules
from services.notifications.domain.messages import outgoing
from services.notifications.settings import parse
from shared.contracts.api import notifications as api
from shared.errors import Conflict, Forbidden, Invalid

LIMITS = rules.Limits(max_text_chars=20, max_attachment_bytes=1000, max_attachments=2)


def test_a_patient_writes_to_a_role_of_the_care_team_never_to_someone_else():
    assert rules.check_addressed("physiotherapist") == "physiotherapist"
    with pytest.raises(Invalid) as refused:
        rules.check_addressed("administrator")
    assert "addressed_role" in refused.value.details["fields"]


def test_the_roles_the_schemas_accept_are_the_ones_the_rules_know():
    assert api.ADDRESSABLE_ROLES == rules.ROLES
    assert set(rules.ROLE_WORDS) == set(rules.ROLES)


def test_a_message_says_something_or_carries_a_file_within_the_limits():
    rules.check_message("", 1, LIMITS)             # a photo alone is a message
    rules.check_message("Hello", 0, LIMITS)
    for text, files, field in (("", 0, "text"), ("x" * 21, 0, "text"), ("ok", 3, "attachments")):
        with pytest.raises(Invalid) as refused:
            rules.check_message(text, files, LIMITS)
        assert field in refused.value.details["fields"], (text, files)


def test_a_message_is_kept_with_plain_line_ends_and_no_control_characters():
    assert rules.clean_text("  Dear team,\r\nthe skin is red\x07.\rThanks  ") == \
        "Dear team,\nthe skin is red.\nThanks"
    assert rules.clean_text(None) == ""


def test_only_the_care_team_answers_and_only_the_addressed_role_marks_a_message_read():
    assert rules.check_answering("travel_desk") == "travel_desk"
    with pytest.raises(Forbidden):
        rules.check_answering("planner")
    rules.check_marking_read("patient", "finance", "finance")
    with pytest.raises(Forbidden) as other_role:
        rules.check_marking_read("patient", "physiotherapist", "finance")
    assert other_role.value.message == "this message is addressed to the physiotherapist"
    with pytest.raises(Conflict):
        rules.check_marking_read("staff", None, "finance")


def test_an_attachment_downloads_under_a_name_of_its_kind_not_the_one_it_was_sent_with():
    assert rules.attachment_name("image/jpeg") == "photo.jpg"
    assert rules.attachment_name("application/pdf") == "document.pdf"
    assert set(rules.ATTACHMENT_KINDS) == {"image/jpeg", "image/png", "application/pdf"}


def test_a_reply_emails_the_patient_that_a_message_waits_with_a_link_to_the_messages_and_their_own_none():
    reply = {"message_id": "M-1", "author": "staff", "addressed_role": None, "author_role": "specialist",
             "attachments": 0}
    [mail] = outgoing("notifications", "care_message_posted", reply)
    assert (mail.template, mail.facts, mail.link, mail.care_critical) == (
        "care_message_waiting", {}, "messages", True)
    mine = dict(reply, author="patient", addressed_role="specialist", author_role=None)
    assert outgoing("notifications", "care_message_posted", mine) == []


def test_the_limits_come_from_the_config_and_never_pass_what_the_gateway_reads():
    s = parse({"NOTIFICATIONS": {"conversations": {"max_text_chars": "500", "max_attachment_bytes": 10 ** 9,
                                                   "max_attachments": 9}}})
    assert s.conversations == rules.Limits(500, api.ATTACHMENT_CEILING_BYTES, api.ATTACHMENTS_CEILING)
    assert parse({}).conversations == rules.Limits()
