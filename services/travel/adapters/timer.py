"""A timer whose interval comes from config: it drives the agency sender and the webhook store."""
from nameko.timer import Timer

from services.travel.settings import parse


class ConfiguredTimer(Timer):
    """Fires every TRAVEL.tick_seconds (nameko's timer takes its interval at import time)."""

    def __init__(self, interval: float = 1.0, **kwargs):
        super().__init__(interval=interval, **kwargs)

    def setup(self):
        self.interval = parse(self.container.config).tick_seconds


every_tick = ConfiguredTimer.decorator
