"""Staff roles (JOURNEY.md, "Across the journey") and the patient's own link."""
INTAKE = "intake_coordinator"
PSYCHOLOGIST = "psychologist"
SPECIALIST = "specialist"
PLANNER = "planner"
FINANCE = "finance"
TRAVEL_DESK = "travel_desk"
PHYSIOTHERAPIST = "physiotherapist"
ADMIN = "administrator"

STAFF_ROLES = (INTAKE, PSYCHOLOGIST, SPECIALIST, PLANNER, FINANCE, TRAVEL_DESK,
               PHYSIOTHERAPIST, ADMIN)
ALL_STAFF = frozenset(STAFF_ROLES)

# A patient holding a personal link: may act only on their own journey.
PATIENT = "patient"
# No login at all (the public enquiry form, signed provider webhooks).
PUBLIC = "public"
