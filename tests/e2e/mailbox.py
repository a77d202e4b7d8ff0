"""What the SMTP sink of an end-to-end system received for one address, read as a mail client would:
each message parsed from its .eml, and the personal link a patient clicks taken from the HTML part's
anchor (the same address as the text part's)."""
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

from shared.testing.infra import wait_for

LINK_PATH = "/ui/from-email?token="


class Mailbox:
    def __init__(self, folder: Path, address: str):
        self.folder, self.address = folder, address

    def messages(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            with path.open("rb") as handle:
                mail = BytesParser(policy=policy.default).parse(handle)
            if self.address in str(mail["To"]):
                found.append(mail)
        return found

    def with_subject(self, subject: str) -> list[EmailMessage]:
        return [mail for mail in self.messages() if str(mail["Subject"]) == subject]

    def wait(self, subject: str, count: int = 1, timeout: float = 30) -> EmailMessage:
        """The newest message with this subject, once `count` of them have arrived."""
        found = wait_for(lambda: len(mails := self.with_subject(subject)) >= count and mails,
                         timeout=timeout, interval=0.3, message=f"a mail {subject!r} to arrive")
        return found[-1]


def text_of(mail: EmailMessage) -> str:
    return mail.get_body(("plain",)).get_content()


def html_of(mail: EmailMessage) -> str:
    return mail.get_body(("html",)).get_content()


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def personal_link(mail: EmailMessage) -> str:
    """The one personal link of the message, from its HTML part; the text part must carry the same."""
    anchors = _Anchors()
    anchors.feed(html_of(mail))
    links = sorted({href for href in anchors.hrefs if LINK_PATH in href})
    assert len(links) == 1, f"{mail['Subject']}: personal links {links}"
    assert links[0] in text_of(mail), f"{mail['Subject']}: the text part lacks the link"
    return links[0]
