"""Renders a message in the patient's language: subject, plain text and HTML from one template.

Each message template (adapters/templates/<name>.j2) extends the layout it is given: the subject
layout keeps only its subject, the text and HTML layouts wrap its body with the greeting and the
clinic's footer. Paragraphs (`{% call p() %}`), links and labelled items are rendered for each
format by the helpers below. Dates, times and amounts are formatted for the locale by Babel
(shared.i18n.formats); the catalogs are the kernel's (shared.i18n).
No unsubscribe link and no tracking pixel: these are care messages, and nothing is fetched.
"""
import re
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from services.notifications.settings import Clinic
from shared.i18n import formats, language_of, translations

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("subject", "text", "html")


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    text: str
    html: str


def _one_per_line(text: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if line.strip())


def _helpers(fmt: str, language: str) -> dict:
    def day(value):
        return formats.day(value, language)

    def moment(value, zone):
        return formats.moment(value, zone, language)

    def money(cents, currency="EUR"):
        return formats.money(cents, currency, language)

    if fmt == "html":
        def p(caller):
            return Markup("<p>") + Markup(" ".join(caller().split())) + Markup("</p>\n")

        def link(url, label):
            return Markup('<p><a href="{}">{}</a></p>\n').format(url, label)

        def item(label, value):
            return Markup("<li><strong>{}:</strong> {}</li>\n").format(label, value)

        def items(caller):
            return Markup("<ul>\n") + Markup(_one_per_line(caller())) + Markup("</ul>\n")
    else:
        def p(caller):
            return textwrap.fill(" ".join(caller().split()), 76) + "\n\n"

        def link(url, label):
            return f"{label}:\n{url}\n\n"

        def item(label, value):
            return f"- {label}: {value}\n"

        def items(caller):
            return _one_per_line(caller()) + "\n"
    return {"p": p, "link": link, "item": item, "items": items, "day": day, "moment": moment, "money": money}


@cache
def environment(fmt: str, language: str) -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=fmt == "html",
                      extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)
    env.globals.update(_helpers(fmt, language), layout=f"_{fmt}.j2", lang=language)
    return env


def render(template: str, preferred_language: str | None, context: dict, clinic: Clinic) -> Rendered:
    """The message `template` for one patient; `context` holds facts, name, link and details."""
    language = language_of(preferred_language)
    parts = {fmt: environment(fmt, language).get_template(f"{template}.j2").render(clinic=clinic, **context)
             for fmt in FORMATS}
    subject = " ".join(parts["subject"].split())
    return Rendered(language, subject, re.sub(r"\n{3,}", "\n\n", parts["text"]).strip() + "\n", parts["html"])

