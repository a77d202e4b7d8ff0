"""The relay as a clinic runs one: STARTTLS, then AUTH; a wrong password or no TLS sends nothing."""
import ssl
import subprocess
from datetime import UTC, datetime

import pytest

from services.notifications.adapters import smtp
from services.notifications.adapters.composer import compose
from services.notifications.adapters.rendering import render
from services.notifications.settings import Clinic
from services.notifications.tests.integration.support import Sink
from services.notifications.tests.samples import context
from shared.testing.infra import free_port


@pytest.fixture(scope="module")
def relay(tmp_path_factory):
    folder = tmp_path_factory.mktemp("relay")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    sink = Sink(folder / "mail", free_port(), "--user", "mailer", "--password", "s3cret",
                "--cert", str(cert), "--key", str(key)).start()
    yield sink, ssl.create_default_context(cafile=str(cert))
    sink.stop()


def _mail(to: str):
    clinic = Clinic()
    rendered = render("refund_issued", "nl", context("refund_issued"), clinic)
    return compose(f"relay-{to}", rendered, to, "Anna", clinic, datetime.now(UTC), None)


def test_a_message_goes_through_starttls_and_auth_to_the_relay(relay):
    sink, trust = relay
    url = f"smtp://mailer:s3cret@127.0.0.1:{sink.port}?starttls=true"
    client = smtp.Relay(smtp.parse_url(url), trust).open()
    try:
        smtp.send(client, _mail("tls@example.org"))
    finally:
        smtp.close(client)
    [mail] = sink.mails_to("tls@example.org")
    assert str(mail["Subject"]) == "Uw terugbetaling"


@pytest.mark.parametrize("url", ["smtp://mailer:wrong@127.0.0.1:{port}?starttls=true",
                                 "smtp://mailer:s3cret@127.0.0.1:{port}"])
def test_a_wrong_password_or_a_clear_connection_is_refused_and_nothing_is_sent(relay, url):
    sink, trust = relay
    with pytest.raises(smtp.SmtpUnavailable):
        client = smtp.Relay(smtp.parse_url(url.format(port=sink.port)), trust).open()
        try:
            smtp.send(client, _mail("refused@example.org"))
        finally:
            smtp.close(client)
    assert sink.mails_to("refused@example.org") == []
