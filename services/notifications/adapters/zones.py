"""The patient's own time zone when no stage knows it: the main zone of their country.

tzdata's zone.tab lists each country's zones with the most populous first where geography
allows (Europe/Lisbon for PT, Europe/Madrid for ES, America/New_York for US). A country spanning
several offsets is only approximated so; every time a message shows names its zone, and the
.ics carries UTC, so the patient's calendar is right whatever zone the text uses.
"""
from functools import cache
from importlib import resources


@cache
def _main_zones() -> dict[str, str]:
    text = (resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _coordinates, zone = line.split("\t")[:3]
            zones.setdefault(country, zone)
    return zones


def of_country(country: str | None) -> str | None:
    """The main IANA zone of an ISO 3166 country code, or None when unknown."""
    return _main_zones().get((country or "").upper())
