from datetime import date

from shared import clock


def test_today_is_the_real_date_without_a_simulated_clock(monkeypatch):
    monkeypatch.delenv(clock.CLOCK_FILE, raising=False)
    assert clock.today() == clock.datetime.now(clock.UTC).date()


def test_a_simulated_clock_moves_every_reader(monkeypatch, tmp_path):
    path = tmp_path / "clock"
    monkeypatch.setenv(clock.CLOCK_FILE, str(path))
    assert clock.today() == clock.datetime.now(clock.UTC).date()  # nothing written yet
    clock.set_simulated(path, date(2027, 3, 1))
    assert clock.today() == date(2027, 3, 1)
