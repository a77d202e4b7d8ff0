"""One settings provider: each service reads its config section through the container."""
from collections.abc import Callable

from nameko.extensions import DependencyProvider


class Settings(DependencyProvider):
    """Injects `parse(config)`, computed once per container from the service's config.

    Each service has a `settings.py` with a frozen dataclass and a `parse(config)`
    reading its section (see shared.config.section); the service declares
    `settings = Settings(parse)`.
    """

    def __init__(self, parse: Callable[[dict], object]):
        self.parse = parse

    def setup(self):
        self.value = self.parse(self.container.config)

    def get_dependency(self, worker_ctx):
        return self.value
