"""A timer whose interval comes from config: it drives the sender (NOTIFICATIONS.tick_seconds)."""
from nameko.timer import Timer

from services.notifications.settings import parse


class ConfiguredTimer(Timer):
    """Fires every NOTIFICATIONS.tick_seconds (nameko's timer takes its interval at import time)."""

    def __init__(self, interval: float = 1.0, **kwargs):
        super().__init__(interval=interval, **kwargs)

    def setup(self):
        self.interval = parse(self.container.config).tick_seconds


every_tick = ConfiguredTimer.decorator
