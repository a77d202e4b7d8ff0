"""Renders a message in the patient's language: subject, plain text and HTML from one template.

Each message template (adapters/templates/<name>.j2) extends the layout it is given: the subject
layout keeps only its subject, the text and HTML layouts wrap its body with the greeting and the
clinic's footer. Paragraphs (`{% call p() %}`), links and labelled items are rendered for each
format by the helpers below. Dates, times and amounts are formatted for the locale with Babel.
No unsubscribe link and no tracking pixel: these are care messages, and nothing is fetched.
"""
import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_location
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from services.notifications.adapters.catalogs import language_of, translations
from services.notifications.settings import Clinic

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("subject", "text", "html")


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    text: str
    html: str


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _as_instant(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _one_per_line(text: str) -> str:
    return "".join(line + "\n" for line in text.splitlines() if line.strip())


def _helpers(fmt: str, language: str) -> dict:
    def day(value):
        return format_date(_as_date(value), format="full", locale=language)

    def moment(value, zone):
        instant = _as_instant(value).astimezone(ZoneInfo(zone))
        where = get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
        return f"{day(instant)}, {format_time(instant, format='short', locale=language)} ({where})"

    def money(cents, currency="EUR"):
        return format_currency(int(cents) / 100, currency or "EUR", locale=language)

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

