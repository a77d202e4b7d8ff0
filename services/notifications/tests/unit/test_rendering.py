"""Each message reads well in each language: subject, text and HTML, the clinic's footer, no tracking."""

import pytest

from services.notifications.adapters.rendering import render
from services.notifications.domain.messages import TEMPLATES
from services.notifications.settings import Clinic
from services.notifications.tests.samples import context
from shared.i18n import LANGUAGES

CLINIC = Clinic(name="Amsterdam Osseointegration Clinic", phone="+31 20 555 0101", email="care@aoc.example")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_message_renders_in_every_language_with_the_clinic_and_how_to_reach_it(template, language):
    mail = render(template, language, context(template), CLINIC)
    assert mail.subject and "\n" not in mail.subject
    for part in (mail.text, mail.html):
        assert "Anna de Vries" in part
        assert CLINIC.name in part and CLINIC.phone in part and CLINIC.email in part
        assert "unsubscribe" not in part.lower() and "<img" not in part
    assert f'<html lang="{language}">' in mail.html
    assert "{{" not in mail.text and "%(" not in mail.text


def test_a_dutch_patient_reads_dates_and_amounts_the_dutch_way():
    mail = render("invoice_issued", "nl", context("invoice_issued"), CLINIC)
    assert mail.subject == "Uw factuur en de aanbetaling"
    assert "€\xa045.000,00" in mail.text and "dinsdag 20 oktober 2026" in mail.text


def test_a_german_patient_reads_the_checkup_in_their_own_time_zone():
    mail = render("checkup_reminder", "de", context("checkup_reminder"), CLINIC)
    assert "Dienstag, 5. Januar 2027, 10:00 (Berlin)" in mail.text
    assert "per Videoanruf" in mail.text


def test_a_declined_enquirer_reads_plain_reasons_never_a_rule_id():
    mail = render("prescreen_declined", "en", context("prescreen_declined"), CLINIC)
    assert "With diabetes the bone and the skin" in mail.text
    assert "diabetes\n" not in mail.text and "circulatory_disease" not in mail.text


def test_html_escapes_what_it_is_given():
    ctx = context("patient_accepted", name="<script>x</script>")
    mail = render("patient_accepted", "en", ctx, CLINIC)
    assert "<script>" not in mail.html and "&lt;script&gt;" in mail.html


def test_a_message_to_someone_without_a_name_greets_them_all_the_same():
    mail = render("patient_accepted", "fr", context("patient_accepted", name=""), CLINIC)
    assert mail.text.startswith("Bonjour,")
