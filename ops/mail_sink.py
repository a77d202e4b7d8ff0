"""The local SMTP sink of `make run` (and the tests' real SMTP server): a real SMTP server on
loopback (aiosmtpd) that keeps every message it is handed as an .eml file and delivers nothing.

    python -m ops.mail_sink --port 8025 --dir var/mail [--user U --password P] [--cert C --key K]

Each file is named by the message's Message-ID (services/notifications/adapters/mailbox.py),
written whole then renamed, so a message handed over twice is one file and a reader never sees
half of one. With --user, clients must log in (AUTH PLAIN or LOGIN) before sending; with --cert and
--key, they must first upgrade the connection with STARTTLS.
"""
import argparse
import os
import signal
import ssl
import sys
import threading
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from services.notifications.adapters.mailbox import file_name


class Keep:
    """aiosmtpd handler: write each message to the folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        header = message_from_bytes(content).get("Message-ID") or os.urandom(16).hex()
        path = self.folder / file_name(str(header))
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
        return "250 Message accepted for delivery"


def authenticator(user: str, password: str):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data is not None and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)   # not handled: the server answers 535 itself
    return check


def start(folder: Path, port: int, host: str = "127.0.0.1", user: str | None = None,
          password: str | None = None, cert: str | None = None, key: str | None = None) -> Controller:
    options = {}
    if cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        options.update(tls_context=context, require_starttls=True)
    if user:   # without a certificate, AUTH in the clear: loopback only, a local or test relay
        options.update(authenticator=authenticator(user, password or ""), auth_required=True,
                       auth_require_tls=bool(cert))
    controller = Controller(Keep(folder), hostname=host, port=port, **options)
    controller.start()
    return controller


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.mail_sink")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--dir", default="var/mail")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--cert", help="a PEM certificate: clients must use STARTTLS")
    parser.add_argument("--key", help="the certificate's PEM key")
    parser.add_argument("--gateway", help="ignored (the sandboxes' common option)")
    args = parser.parse_args(argv)
    controller = start(Path(args.dir), args.port, args.host, args.user, args.password, args.cert, args.key)
    print(f"mail sink listening on {args.host}:{args.port}, keeping messages in {args.dir}", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
