from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared import clock

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_today_is_the_real_date_without_a_simulated_clock(monkeypatch):
    monkeypatch.delenv(clock.CLOCK_FILE, raising=False)
    assert clock.ClinicClock(UTC).today() == clock.datetime.now(clock.UTC).date()


def test_a_simulated_clock_moves_every_reader(monkeypatch, tmp_path):
    path = tmp_path / "clock"
    monkeypatch.setenv(clock.CLOCK_FILE, str(path))
    assert clock.ClinicClock(UTC).today() == clock.datetime.now(clock.UTC).date()  # nothing written yet
    clock.set_simulated(path, date(2027, 3, 1))
    assert clock.ClinicClock(UTC).today() == date(2027, 3, 1)
    assert clock.ClinicClock().now().astimezone(AMSTERDAM).date() == date(2027, 3, 1)


def test_today_at_the_clinic_is_amsterdams_date_just_after_midnight(monkeypatch):
    monkeypatch.delenv(clock.CLOCK_FILE, raising=False)
    just_after_midnight = datetime.combine(date(2026, 12, 2), time(0, 30), AMSTERDAM)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return just_after_midnight.astimezone(tz)

    monkeypatch.setattr(clock, "datetime", Frozen)
    assert just_after_midnight.astimezone(UTC).date() == date(2026, 12, 1)
    assert clock.clinic_clock({}).today() == date(2026, 12, 2)


def test_the_clinic_clock_reads_its_zone_from_config():
    zone = clock.clinic_clock({"CLINIC": {"timezone": "Asia/Tokyo"}}).timezone
    assert zone == ZoneInfo("Asia/Tokyo")
    assert clock.ClinicClock().at(date(2026, 7, 1), time(10)) == datetime(2026, 7, 1, 8, tzinfo=UTC)
    assert abs(clock.ClinicClock().now() - datetime.now(UTC)) < timedelta(seconds=5)
