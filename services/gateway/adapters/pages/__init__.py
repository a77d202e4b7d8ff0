"""Page handlers, registered with services.gateway.adapters.ui.page when this package is imported
(the gateway's service module does; ui.py itself knows no page). PAGES is the full table."""
from services.gateway.adapters.pages import (  # noqa: F401  (importing a module registers its pages)
    admin,
    emailed_links,
    images,
    mail,
    operations,
    patient,
    portal_access,
    portal_checkups,
    portal_consent,
    portal_journey,
    portal_messages,
    portal_new_link,
    portal_pay,
    portal_problems,
    portal_questionnaire,
    portal_stay,
    portal_uploads,
    search,
    staff,
    work,
)
from services.gateway.adapters.ui import PAGES

__all__ = ["PAGES"]
