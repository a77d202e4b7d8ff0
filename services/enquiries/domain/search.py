"""Finding a patient: what a coordinator typed, read as what they are looking for.

A query is an email (exact, in any case), a date of birth (ISO 1980-02-28, or 28-02-1980 as the
Dutch write it, also with / or .), a journey id or its first characters, or else a name: every word of
it contained in the person's name or passport names, ignoring case and accents ("muller" finds
"Müller", "lukasz" finds "Łukasz"). A string of hex digits may be a journey id or a name ("Abbe"): both
are looked for.
"""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

MIN_LENGTH, MAX_LENGTH = 2, 100
JOURNEY_PREFIX_MIN = 4
# Letters that carry no accent to strip, written as they are read.
_FOLDED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe",
                         "ı": "i", "ß": "ss"})
_DROPPED = str.maketrans("", "", "'’‘`´")          # O'Brien is obrien
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_JOURNEY = re.compile(rf"[0-9a-f][0-9a-f-]{{{JOURNEY_PREFIX_MIN - 1},35}}")


class UnreadableQuery(ValueError):
    """The query cannot be searched for; the message says why, as a sentence for the coordinator."""


@dataclass(frozen=True)
class Query:
    """One of email, date_of_birth or words is set; journey_prefix may go with words."""
    email: str | None = None
    date_of_birth: date | None = None
    journey_prefix: str | None = None
    words: tuple[str, ...] = ()


def normalise(text: str | None) -> str:
    """Lower case without accents or punctuation, single spaces: how names are compared."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_DROPPED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLDED)
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def search_text(*names: str | None) -> str | None:
    """What a person's names are found by (None when they have none, e.g. once erased)."""
    text = " ".join(filter(None, (normalise(name) for name in names)))
    return text or None


def read(text: str) -> Query:
    """The query as what to look for; UnreadableQuery when it is empty, too short, too long or an
    impossible date."""
    text = " ".join((text or "").split())
    if not text:
        raise UnreadableQuery("type a name, an email, a date of birth or a journey id to search for")
    if len(text) > MAX_LENGTH:
        raise UnreadableQuery(f"a search can be at most {MAX_LENGTH} characters long")
    if _EMAIL.fullmatch(text):
        return Query(email=text.lower())
    if (found := _ISO.fullmatch(text)) is not None:
        return Query(date_of_birth=_date(text, *map(int, found.groups())))
    if (found := _DAY_FIRST.fullmatch(text)) is not None:
        day, month, year = map(int, found.groups())
        return Query(date_of_birth=_date(text, year, month, day))
    words = tuple(normalise(text).split())
    if len("".join(words)) < MIN_LENGTH:
        raise UnreadableQuery(f"type at least {MIN_LENGTH} letters of a name to search for")
    prefix = text.lower() if _JOURNEY.fullmatch(text.lower()) else None
    return Query(journey_prefix=prefix, words=words)


def _date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableQuery(f"{text} is not a date; write a date of birth as 1980-02-28 or 28-02-1980") \
            from None
