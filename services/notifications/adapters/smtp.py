"""The SMTP relay, set by URL: smtp://user:pass@host:587?starttls=true, or smtps://host:465.

STARTTLS upgrades a plain connection (starttls=true), smtps:// speaks TLS from the start,
and a user in the URL logs in (AUTH) once the connection is private. One connection carries
a whole batch; a refused recipient fails only its own message.
"""
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit


class SmtpUnavailable(Exception):
    """The relay could not be reached or refused us: every message of the batch waits for a retry."""


@dataclass(frozen=True)
class RelayAddress:
    host: str
    port: int
    tls: bool = False          # smtps: TLS from the first byte
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 15.0

    @property
    def safe(self) -> str:
        """For logs: no credentials."""
        return f"{'smtps' if self.tls else 'smtp'}://{self.host}:{self.port}"


def parse_url(url: str, timeout: float = 15.0) -> RelayAddress:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("NOTIFICATIONS.smtp_url must look like smtp://[user:pass@]host[:port][?starttls=true]")
    query = {k: v[-1].lower() for k, v in parse_qs(parts.query).items()}
    tls = parts.scheme == "smtps"
    return RelayAddress(host=parts.hostname, port=parts.port or (465 if tls else 25), tls=tls,
                        starttls=query.get("starttls") in ("true", "1", "yes"),
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None, timeout=timeout)


class Relay:
    """One SMTP session for a batch: `with relay.session() as send: send(message)`."""

    def __init__(self, address: RelayAddress, context: ssl.SSLContext | None = None):
        self.address = address
        self.context = context or ssl.create_default_context()

    def open(self) -> smtplib.SMTP:
        a = self.address
        try:
            if a.tls:
                client = smtplib.SMTP_SSL(a.host, a.port, timeout=a.timeout, context=self.context)
            else:
                client = smtplib.SMTP(a.host, a.port, timeout=a.timeout)
            client.ehlo()
            if a.starttls:
                client.starttls(context=self.context)
                client.ehlo()
            if a.username:
                client.login(a.username, a.password or "")
            return client
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpUnavailable(f"{a.safe}: {type(exc).__name__}: {exc}") from exc


def send(client: smtplib.SMTP, message: EmailMessage) -> None:
    """Hand one message to the relay; a refusal of this message raises smtplib.SMTPException,
    a lost connection SmtpUnavailable."""
    try:
        client.send_message(message)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise SmtpUnavailable(f"{type(exc).__name__}: {exc}") from exc


def close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
