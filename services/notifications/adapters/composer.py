"""Builds the MIME message: plain text and HTML alternatives, and a calendar file where there is one."""
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from services.notifications.adapters.rendering import Rendered
from services.notifications.settings import Clinic


def message_id_header(message_id: str, clinic: Clinic) -> str:
    """Message-ID: the same for every try of one message, so a receiver keeps one copy."""
    domain = clinic.sender.rsplit("@", 1)[-1] or "carepath.local"
    return f"<{message_id}@{domain}>"


def compose(message_id: str, rendered: Rendered, to: str, name: str, clinic: Clinic, sent_at,
            calendar: bytes | None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = formataddr((clinic.name, clinic.sender))
    mail["To"] = formataddr((name, to)) if name else to
    mail["Subject"] = rendered.subject
    mail["Date"] = format_datetime(sent_at)
    mail["Message-ID"] = message_id_header(message_id, clinic)
    mail["Auto-Submitted"] = "auto-generated"   # a care message from the system: no auto-replies back
    mail.set_content(rendered.text)
    mail.add_alternative(rendered.html, subtype="html")
    if calendar is not None:
        mail.add_attachment(calendar, maintype="text", subtype="calendar", filename="appointment.ics",
                            params={"method": "PUBLISH"})
    mail["Content-Language"] = rendered.language   # last: adding a part moves the content headers
    return mail
