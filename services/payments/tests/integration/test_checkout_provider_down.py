"""A checkout asked for while the payment provider cannot be reached: try again later (503), nothing made."""
import socket
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from services.payments import models
from services.payments.adapters.provider import SandboxProvider
from services.payments.handlers.checkout import start_checkout
from shared.clock import ClinicClock
from shared.db import Store, UnitOfWork
from shared.errors import Unavailable
from shared.migrations import upgrade


def _closed_port() -> int:
    with socket.socket() as probe:   # bound, then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_checkout_while_the_provider_is_unreachable_is_unavailable_and_makes_no_session(tmp_path):
    url = f"sqlite:///{tmp_path}/payments.db"
    upgrade("payments", url)
    store, journey_id = Store(url, models.kernel), str(uuid.uuid4())
    with store.session() as session:
        session.add(models.Invoice(
            id=str(uuid.uuid4()), journey_id=journey_id, package="transfemoral", currency="EUR",
            total_cents=4_500_000, deposit_cents=2_250_000, owed_cents=4_500_000,
            deposit_due=date(2030, 1, 1), issued_at=datetime(2026, 12, 1, tzinfo=UTC)))
    provider = SandboxProvider(f"http://127.0.0.1:{_closed_port()}", timeout=2)
    form = {"part": "deposit", "language": "en", "description": "Deposit",
            "success_url": "http://127.0.0.1/back", "cancel_url": "http://127.0.0.1/cancelled"}
    with pytest.raises(Unavailable) as raised:
        start_checkout(UnitOfWork(store, "payments", lambda: None), ClinicClock(), provider, journey_id, form)
    assert "nothing was charged" in raised.value.message and raised.value.details["retry_after_seconds"] == 60
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(models.CheckoutSession)) == 0
    store.dispose()
