"""Finding a patient on PostgreSQL and SQLite alike: the search columns follow every write of a name or
email (a correction, the passport names, an erasure), and the search reads them."""
import uuid
from datetime import UTC, date, datetime

import pytest

from services.enquiries import models
from services.enquiries.handlers.erasure import _erase
from services.enquiries.handlers.search import names_for, search_patients
from services.enquiries.models import Enquiry
from shared.db import Store, UnitOfWork
from shared.errors import Invalid
from shared.migrations import upgrade


@pytest.fixture
def store(db_url):
    upgrade("enquiries", db_url)
    store = Store(db_url, models.kernel)
    yield store
    store.dispose()


def _person(store, name: str, born: date, email: str, **more) -> str:
    journey = str(uuid.uuid4())
    with store.session() as session:
        session.add(Enquiry(id=str(uuid.uuid4()), journey_id=journey, kind="suitability", status="screening",
                            received_at=datetime.now(UTC), country="NL", preferred_language="nl", name=name,
                            email=email, date_of_birth=born, **more))
    return journey


def _found(store, text: str, limit: int = 20, offset: int = 0) -> list[str]:
    page = search_patients(UnitOfWork(store, "enquiries", lambda: None), text, limit, offset)
    return [item["name"] for item in page["items"]]


def test_names_emails_and_dates_are_found_and_follow_a_correction_and_an_erasure(store):
    joost = _person(store, "Joost van Dijk", date(1971, 5, 1), "Joost@Example.NL")
    _person(store, "Renée Ångström", date(1990, 1, 2), "renee@example.org", passport_surname="ANGSTROM-LUND")
    assert _found(store, "ANGSTROM") == _found(store, "renee") == _found(store, "lund") == ["Renée Ångström"]
    assert _found(store, "joost@example.nl") == _found(store, "01-05-1971") == ["Joost van Dijk"]
    assert _found(store, joost[:6]) == ["Joost van Dijk"]
    with store.session() as session:
        row = session.query(Enquiry).filter_by(journey_id=joost).one()
        row.name, row.email = "Joost van Dyke", "joost.dyke@example.nl"
    assert _found(store, "dyke") == _found(store, "JOOST.DYKE@example.nl") == ["Joost van Dyke"]
    assert _found(store, "dijk") == [] and _found(store, "joost@example.nl") == []
    with store.session() as session:
        _erase(session, session.query(Enquiry).filter_by(journey_id=joost).one(), datetime.now(UTC))
    assert _found(store, "joost") == [] and _found(store, joost[:6]) == []
    assert names_for(UnitOfWork(store, "enquiries", lambda: None), [joost]) == []


def test_a_query_that_cannot_be_read_is_refused_and_pages_are_counted(store):
    for n in range(3):
        _person(store, f"Sam Test{n}", date(1980, 1, 1), f"sam{n}@example.org")
    page = search_patients(UnitOfWork(store, "enquiries", lambda: None), "sam test", 2, 2)
    assert (page["total"], [item["name"] for item in page["items"]]) == (3, ["Sam Test2"])
    with pytest.raises(Invalid, match="is not a date"):
        _found(store, "1980-13-01")
