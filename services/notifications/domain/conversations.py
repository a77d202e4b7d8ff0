"""Messages with the care team: one thread per journey between the patient and the clinic's staff.

Pure rules, no I/O: whom a patient may address (a role of the care team, never a person), how long a
message may be, how many attachments it may carry and of which kinds, who answers, and who marks a
message read. The text stays in notifications; what leaves it is ids and roles.
"""
import re
from dataclasses import dataclass

from shared.errors import Conflict, Forbidden, Invalid

# The roles a patient may address, as the gateway names them (shared/contracts/api/notifications.py
# repeats them for the schemas; a unit test keeps the two the same).
ROLES = ("intake_coordinator", "specialist", "physiotherapist", "travel_desk", "finance")
# Each role in a sentence ("this message is addressed to the physiotherapist").
ROLE_WORDS = {"intake_coordinator": "the coordinator", "specialist": "the specialist",
              "physiotherapist": "the physiotherapist", "travel_desk": "the travel desk",
              "finance": "finance"}
PATIENT, STAFF = "patient", "staff"
AUTHORS = (PATIENT, STAFF)
# What an attachment may be, and the name it is downloaded under (never the name it was sent with).
ATTACHMENT_NAMES = {"image/jpeg": "photo.jpg", "image/png": "picture.png", "application/pdf": "document.pdf"}
ATTACHMENT_KINDS = tuple(ATTACHMENT_NAMES)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    max_text_chars: int = 4000
    max_attachment_bytes: int = 10 * 1024 * 1024
    max_attachments: int = 3


def clean_text(text: str | None) -> str:
    """The message as it is kept: line ends as \\n, no control characters, no blank edges."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def check_message(text: str, attachments: int, limits: Limits) -> None:
    """A message says something or carries a file, within the limits; Invalid naming the field."""
    if not text and not attachments:
        raise Invalid("write a message or attach a file",
                      fields={"text": ["write a message or attach a file"]})
    if len(text) > limits.max_text_chars:
        raise Invalid(f"a message can be at most {limits.max_text_chars} characters long",
                      fields={"text": [f"at most {limits.max_text_chars} characters"]},
                      max_chars=limits.max_text_chars)
    if attachments > limits.max_attachments:
        raise Invalid(f"a message can carry at most {limits.max_attachments} attachments",
                      fields={"attachments": [f"at most {limits.max_attachments} files"]},
                      max_attachments=limits.max_attachments)


def check_addressed(role: str) -> str:
    """The care team's role a patient writes to."""
    if role not in ROLES:
        raise Invalid("choose whom you are writing to",
                      fields={"addressed_role": [f"one of {', '.join(ROLES)}"]})
    return role


def check_answering(role: str) -> str:
    """Only the care team answers a patient, each member as their role."""
    if role not in ROLES:
        raise Forbidden(f"only the care team ({', '.join(ROLES)}) answers a patient's messages")
    return role


def check_marking_read(author: str, addressed_role: str | None, reader_role: str) -> None:
    """Staff mark a patient's message read when it was addressed to their role; the care team's own
    replies are read by the patient opening them."""
    if author != PATIENT:
        raise Conflict("a reply of the care team is marked read when the patient opens it")
    if addressed_role != reader_role:
        raise Forbidden(f"this message is addressed to {ROLE_WORDS.get(addressed_role, 'another role')}")


def attachment_name(media_type: str) -> str:
    return ATTACHMENT_NAMES.get(media_type, "attachment")
