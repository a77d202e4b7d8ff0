"""A timer whose interval comes from config: it drives the agency sender and the webhook store."""
from nameko.timer import Timer


class ConfiguredTimer(Timer):
    """Fires every TRAVEL.<key> seconds (nameko's timer takes its interval at import time)."""

    def __init__(self, key: str, default: float, **kwargs):
        self.key = key
        super().__init__(interval=default, **kwargs)

    def setup(self):
        travel = self.container.config.get("TRAVEL") or {}
        self.interval = float(travel.get(self.key, self.interval))


every = ConfiguredTimer.decorator
