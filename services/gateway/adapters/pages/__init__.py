"""Page handlers, registered with services.gateway.adapters.ui.page when this package is imported
(the gateway's service module does; ui.py itself knows no page). PAGES is the full table."""
from services.gateway.adapters.pages import emailed_links, mail, patient, staff  # noqa: F401  (registers them)
from services.gateway.adapters.pages import images  # noqa: F401  (the specialist's image pages)
from services.gateway.adapters.ui import PAGES

__all__ = ["PAGES"]
